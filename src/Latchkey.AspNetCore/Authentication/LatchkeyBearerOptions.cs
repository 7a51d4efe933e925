using Microsoft.AspNetCore.Authentication;

namespace Latchkey.AspNetCore.Authentication;

/// <summary>
/// Options of the Latchkey bearer scheme, bound from the configuration section <c>Latchkey</c>.
/// Only <see cref="Authority"/> and <see cref="Audience"/> are needed; every other value is a secure default.
/// </summary>
public sealed class LatchkeyBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// The issuer URL (<c>https://auth.example.com/</c>). A bare domain (<c>auth.example.com</c>) means https; the
    /// trailing slash is added, because Latchkey and Auth0 issue <c>iss</c> with exactly one.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>The API identifier that access tokens must carry in <c>aud</c> (e.g. <c>https://quickstarts/api</c>).</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Allow an <c>http://</c> authority that is not a loopback address. Development only: discovery and keys
    /// fetched over plain HTTP can be replaced by anyone on the path. Loopback http is always allowed (with a warning),
    /// because the traffic never leaves the machine.
    /// </summary>
    public bool AllowHttpAuthority { get; set; }

    /// <summary>
    /// Clock skew tolerated on <c>exp</c>, <c>nbf</c> and <c>iat</c>. 30 s: enough for NTP-synced hosts and small VM drift,
    /// small next to access-token lifetimes (Auth0: minutes to hours). Microsoft's 5 min default keeps revoked-by-expiry
    /// tokens alive too long; express-oauth2-jwt-bearer uses 5 s.
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Accepted JWS algorithms. Asymmetric only: HMAC with a public key and <c>none</c> can never be added.</summary>
    public IList<string> ValidAlgorithms { get; } = ["RS256", "PS256", "ES256"];

    /// <summary>
    /// The longest token accepted, in bytes, checked before any decoding. 16 KB is far above a real access token
    /// (~1 KB, ~4 KB with many permissions) and far below what makes parsing costly.
    /// </summary>
    public int MaxTokenBytes { get; set; } = 16 * 1024;

    /// <summary>How many validated tokens the signature cache keeps.</summary>
    public int TokenCacheEntries { get; set; } = 10_000;

    /// <summary>Approximate memory the signature cache may use, in bytes.</summary>
    public long TokenCacheBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// How often discovery and the JWKS are fetched again when nothing forces it (in the background; requests never
    /// wait for it). Also bounds how long a key removed from the JWKS keeps validating cached tokens. 10 min, as jwks-rsa.
    /// </summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The shortest interval between two JWKS fetches forced by a token whose <c>kid</c> is unknown (key rotation).
    /// Bounds the load that tokens with made-up <c>kid</c>s can put on the authority.
    /// </summary>
    public TimeSpan UnknownKeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The handler used to fetch discovery and the JWKS (tests, proxies). Null: a private <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? BackchannelHandler { get; set; }

    /// <summary>Set by post-configuration: the validator built from these options.</summary>
    internal Validation.LatchkeyTokenValidator? Validator { get; set; }
}
