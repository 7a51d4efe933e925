using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Keys;

/// <summary>Auth0's answer to rotate and revoke: the key's certificate (PEM) and <c>kid</c>.</summary>
internal sealed record SigningKeyRotationResponse(
    [property: JsonPropertyName("cert")] string Cert,
    [property: JsonPropertyName("kid")] string Kid);
