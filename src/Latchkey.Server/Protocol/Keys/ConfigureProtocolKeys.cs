using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace Latchkey.Server.Protocol.Keys;

/// <summary>
/// Hands the persisted keys to OpenIddict when its options are first built (after the database is initialised,
/// before the first request). OpenIddict's own post-configuration then sorts them and picks the signer.
/// </summary>
internal sealed class ConfigureProtocolKeys(ProtocolKeyRing keys) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        keys.Load();
        options.SigningCredentials.AddRange(keys.SigningCredentials);
        options.EncryptionCredentials.AddRange(keys.EncryptingCredentials);
    }
}
