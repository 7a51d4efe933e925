using System.Net;
using System.Security.Cryptography;
using System.Text;
using Latchkey.AspNetCore.Tests.Infrastructure;

namespace Latchkey.AspNetCore.Tests.Differential;

/// <summary>
/// The seeds' own API stack (express + express-oauth2-jwt-bearer 1.10.0 with <c>requiredScopes('read:messages')</c>,
/// from npm) and samples/api decide 200/401/403 alike for the same tokens. Where Latchkey.AspNetCore is deliberately
/// stricter, the case names the difference and both sides are asserted, so a change on either side shows up.
/// </summary>
public sealed class DifferentialTests : IClassFixture<DifferentialFixture>
{
    private static readonly string[] Paths = ["api/private", "api/external", "api/private-scoped"];

    private readonly DifferentialFixture _fixture;

    public DifferentialTests(DifferentialFixture fixture)
    {
        _fixture = fixture;
    }

    /// <summary>Case names; each case gives our status for private/external and scoped, and express's where it differs.</summary>
    public static TheoryData<string> Cases => new(CaseTable.Keys);

    private static readonly Dictionary<string, Case> CaseTable = new Case[]
    {
        new("no token", _ => null, 401, 401),
        new("valid, read:messages", f => f.Authority.Mint(), 200, 200),
        new("valid, scope array", f => f.Authority.Mint(p => p["scope"] = new[] { "openid", "read:messages" }), 200, 200),
        new("valid, without read:messages", f => f.Authority.Mint(p => p["scope"] = "openid profile"), 200, 403),
        new("valid, no scope claim", f => f.Authority.Mint(p => p.Remove("scope")), 200, 403),
        new("valid, string aud", f => f.Authority.Mint(p => p["aud"] = TestAuthority.Audience), 200, 200),
        new("valid, typ JWT", f => f.Authority.Mint(header: h => h["typ"] = "JWT"), 200, 200),
        new("valid, PS256", f => f.Authority.Mint(key: f.Pss), 200, 200),
        new("valid, ES256", f => f.Authority.Mint(key: f.Ec), 200, 200),
        new("expired 10 min ago", f => f.Authority.Mint(p => p["exp"] = f.Authority.Clock.GetUtcNow().AddMinutes(-10).ToUnixTimeSeconds()), 401, 401),
        new("nbf in 10 min", f => f.Authority.Mint(p => p["nbf"] = f.Authority.Clock.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds()), 401, 401),
        new("no exp", f => f.Authority.Mint(p => p.Remove("exp")), 401, 401),
        new("wrong issuer", f => f.Authority.Mint(p => p["iss"] = "https://evil.example/"), 401, 401),
        new("issuer without trailing slash", f => f.Authority.Mint(p => p["iss"] = f.Authority.Issuer.TrimEnd('/')), 401, 401),
        new("wrong audience", f => f.Authority.Mint(p => p["aud"] = "https://other/api"), 401, 401),
        new("alg none", f => Unsigned(f, "none"), 401, 401),
        new("alg nOnE", f => Unsigned(f, "nOnE"), 401, 401),
        new("HS256 with the RSA public key", HmacWithPublicKey, 401, 401),
        new("RS512 (not advertised)", f => f.Authority.Mint(key: f.Authority.Key.WithAlgorithm("RS512")), 401, 401),
        new("tampered payload", Tampered, 401, 401),
        new("tampered signature", f => { var t = f.Authority.Mint(); return t[..^3] + (t[^3] == 'A' ? 'B' : 'A') + t[^2..]; }, 401, 401),
        new("unknown kid, foreign key", f => f.Authority.Mint(key: SigningKey.Rsa("stranger")), 401, 401),
        new("known kid, foreign key", f => f.Authority.Mint(header: h => h["kid"] = f.Authority.Key.KeyId, key: SigningKey.Rsa("stranger")), 401, 401),
        new("jwk header with attacker key", f => { var k = SigningKey.Rsa("attacker"); return f.Authority.Mint(header: h => h["jwk"] = k.PublicJwk(), key: k); }, 401, 401),
        new("crit header", f => f.Authority.Mint(header: h => h["crit"] = new[] { "exp" }), 401, 401),
        new("no kid header (JWKS has several keys)", f => f.Authority.Mint(header: h => h.Remove("kid")), 401, 401),
        new("JWE shape", f => { var t = f.Authority.Mint(); return t + "." + t.Split('.')[2]; }, 401, 401),
        new("garbage", _ => "not-a-jwt", 401, 401),
        new("real ID token (aud = client id)", f => f.Authority.Mint(p => { p["aud"] = TestAuthority.ClientId; p["nonce"] = "n"; p["at_hash"] = "h"; }, h => h["typ"] = "JWT"), 401, 401),

        // Deliberate differences: Latchkey.AspNetCore refuses what express-oauth2-jwt-bearer (non-strict) lets through.
        new("ID-token claims with the API audience", f => f.Authority.Mint(p => p["nonce"] = "n", h => h["typ"] = "JWT"), 401, 401, 200, 200,
            "an ID token is never an access token; express only checks typ in strict mode"),
        new("typ logout+jwt", f => f.Authority.Mint(header: h => h["typ"] = "logout+jwt"), 401, 401, 200, 200,
            "typ must be at+jwt or JWT; express ignores typ unless strict"),
        new("duplicate aud member", DuplicateAud, 401, 401, 200, 200,
            "duplicate JSON members are refused; JSON.parse keeps the last one"),
        new("expired 12 s ago", f => f.Authority.Mint(p => p["exp"] = f.Authority.Clock.GetUtcNow().AddSeconds(-12).ToUnixTimeSeconds()), 200, 200, 401, 401,
            "clock skew 30 s here, 5 s in express; 12 s leaves 18 s for a slow machine between minting and the last request"),
    }.ToDictionary(c => c.Name);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SameToken_SampleApiAndExpress_SameDecision(string name)
    {
        var test = CaseTable[name];

        _fixture.SyncClockToNow();
        var token = test.Token(_fixture);
        foreach (var path in Paths)
        {
            var scoped = path.EndsWith("scoped", StringComparison.Ordinal);
            var ours = await StatusAsync(_fixture.Sample.Address, path, token);
            var theirs = await StatusAsync(_fixture.Express.Address, path, token);
            Assert.Equal(scoped ? test.Scoped : test.Private, ours);
            var expectedTheirs = test.Why is null ? ours : (scoped ? test.NodeScoped : test.NodePrivate);
            Assert.True(expectedTheirs == theirs, $"{name} {path}: samples/api {ours}, express {theirs}, expected express {expectedTheirs}");
        }
    }

    [Theory]
    [InlineData("Bearer", 400, 400)]
    [InlineData("Basic dXNlcjpwYXNz", 401, 400)]
    public async Task Middleware_MalformedAuthorization_AnswersAsDocumented(string header, int ours, int theirs)
    {
        // express-oauth2-jwt-bearer answers 400 for any non-Bearer scheme; RFC 6750 treats another scheme as no bearer
        // credentials, so samples/api answers 401 with a bare challenge. Both give 400 for "Bearer" without a token.
        Assert.Equal(ours, await StatusAsync(_fixture.Sample.Address, "api/private", null, header));
        Assert.Equal(theirs, await StatusAsync(_fixture.Express.Address, "api/private", null, header));
    }

    private static async Task<int> StatusAsync(Uri api, string path, string? token, string? header = null)
    {
        using var client = new HttpClient { BaseAddress = api };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var value = header ?? (token is null ? null : "Bearer " + token);
        if (value is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", value);
        }

        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    private static string Unsigned(DifferentialFixture f, string alg) =>
        TestAuthority.B64(Encoding.UTF8.GetBytes($"{{\"alg\":\"{alg}\",\"typ\":\"JWT\"}}")) + "."
        + TestAuthority.B64(Encoding.UTF8.GetBytes(TestAuthority.Json(f.Authority.Claims()))) + ".";

    private static string HmacWithPublicKey(DifferentialFixture f)
    {
        var input = TestAuthority.B64(Encoding.UTF8.GetBytes($"{{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"{f.Authority.Key.KeyId}\"}}"))
            + "." + TestAuthority.B64(Encoding.UTF8.GetBytes(TestAuthority.Json(f.Authority.Claims())));
        var secret = Encoding.ASCII.GetBytes(f.Authority.Key.RsaKey.ExportSubjectPublicKeyInfoPem());
        return input + "." + TestAuthority.B64(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    private static string Tampered(DifferentialFixture f)
    {
        var parts = f.Authority.Mint(p => p["scope"] = "openid").Split('.');
        var forged = TestAuthority.B64(Encoding.UTF8.GetBytes(TestAuthority.Json(f.Authority.Claims(scope: "openid read:messages"))));
        return $"{parts[0]}.{forged}.{parts[2]}";
    }

    private static string DuplicateAud(DifferentialFixture f)
    {
        var claims = f.Authority.Claims();
        claims.Remove("aud");
        var json = TestAuthority.Json(claims);
        var payload = "{\"aud\":\"https://other/api\",\"aud\":\"" + TestAuthority.Audience + "\"," + json[1..];
        return TestAuthority.MintRaw($"{{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"{f.Authority.Key.KeyId}\"}}", payload, f.Authority.Key);
    }

    private sealed record Case(
        string Name,
        Func<DifferentialFixture, string?> Token,
        int Private,
        int Scoped,
        int? NodePrivate = null,
        int? NodeScoped = null,
        string? Why = null);
}
