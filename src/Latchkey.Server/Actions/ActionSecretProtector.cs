using Microsoft.AspNetCore.DataProtection;

namespace Latchkey.Server.Actions;

/// <summary>
/// Encrypts Action secrets at rest with the server's Data Protection key ring (kept in the database, shared by every
/// node). Values are decrypted only to build <c>event.secrets</c>; no API returns them.
/// </summary>
public sealed class ActionSecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Latchkey.Actions.Secrets.v1");

    public string Protect(string value) => _protector.Protect(value);

    public string Unprotect(string protectedValue) => _protector.Unprotect(protectedValue);
}
