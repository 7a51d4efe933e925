using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Latchkey.Server.Protocol.Keys;

/// <summary>
/// Hands the key ring's current set to OpenIddict each time its options are built: at start-up, and again whenever the
/// ring's change token fires (a rotation or revocation on any node), which is how keys change without a restart.
/// <list type="bullet">
/// <item><see cref="Configure"/> adds the credentials (OpenIddict's own post-configuration requires them).</item>
/// <item><see cref="PostConfigure"/> runs after OpenIddict's, which sorts certificates by validity; it restores the
/// ring's order so the current key is first (the one OpenIddict signs with) and the next key, though valid, is only
/// published and accepted; likewise the AES encryption key first, before a legacy RSA one.</item>
/// </list>
/// </summary>
internal sealed class ConfigureProtocolKeys(ProtocolKeyRing keys) : IConfigureOptions<OpenIddictServerOptions>, IPostConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        var set = keys.Current;
        options.SigningCredentials.AddRange(set.Signing);
        options.EncryptionCredentials.AddRange(set.Encrypting);
    }

    public void PostConfigure(string? name, OpenIddictServerOptions options)
    {
        var set = keys.Current;
        options.SigningCredentials.Clear();
        options.SigningCredentials.AddRange(set.Signing);
        options.TokenValidationParameters.IssuerSigningKeys = [.. set.Signing.Select(c => c.Key)];
        options.EncryptionCredentials.Clear();
        options.EncryptionCredentials.AddRange(set.Encrypting);
    }
}
