using Microsoft.IdentityModel.Tokens;

namespace Latchkey.Server.Protocol.Keys;

/// <summary>
/// What one node signs and verifies with, built from the key rows: an immutable value swapped as a whole.
/// <see cref="Signing"/> is ordered current, next, previous (newest first); OpenIddict signs with the first.
/// </summary>
internal sealed class ProtocolKeySet(IReadOnlyList<SigningCredentials> signing, IReadOnlyList<EncryptingCredentials> encrypting, string fingerprint)
{
    public static ProtocolKeySet Empty { get; } = new([], [], string.Empty);

    public IReadOnlyList<SigningCredentials> Signing { get; } = signing;

    public IReadOnlyList<EncryptingCredentials> Encrypting { get; } = encrypting;

    /// <summary>The published kids in order, plus the encryption kids: equal fingerprints mean nothing changed.</summary>
    public string Fingerprint { get; } = fingerprint;
}
