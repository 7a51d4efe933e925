using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Latchkey.AspNetCore.Tests.Infrastructure;

namespace Latchkey.AspNetCore.Tests.Validation;

/// <summary>Each token breaks exactly one rule; the valid baseline passes, so a refusal is caused by that rule.</summary>
public sealed class TokenRuleTests : IClassFixture<AuthorityAndApi>
{
    private readonly TestAuthority _authority;
    private readonly ProtectedApi _api;

    public TokenRuleTests(AuthorityAndApi fixture)
    {
        _authority = fixture.Authority;
        _api = fixture.Api;
    }

    [Fact]
    public async Task ValidToken_PrivateEndpoint_Returns200()
    {
        using var response = await _api.GetAsync("private", _authority.Mint());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("private", (await Body(response)).GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("at+jwt")]
    [InlineData("application/at+jwt")]
    public async Task ValidToken_AcceptedTyp_Returns200(string typ)
    {
        using var response = await _api.GetAsync("private", _authority.Mint(header: h => h["typ"] = typ));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ValidToken_StringAudience_Returns200()
    {
        using var response = await _api.GetAsync("private", _authority.Mint(p => p["aud"] = TestAuthority.Audience));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ExpiredToken_BeyondSkew_Returns401Expired()
    {
        var now = _authority.Clock.GetUtcNow();
        var token = _authority.Mint(p =>
        {
            p["iat"] = now.AddHours(-2).ToUnixTimeSeconds();
            p["exp"] = now.AddSeconds(-31).ToUnixTimeSeconds();
        });
        await AssertInvalidToken(token, "token expired");
    }

    [Fact]
    public async Task ExpiredToken_WithinSkew_Returns200()
    {
        var token = _authority.Mint(p => p["exp"] = _authority.Clock.GetUtcNow().AddSeconds(-20).ToUnixTimeSeconds());
        using var response = await _api.GetAsync("private", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NotYetValidToken_NbfInFuture_Returns401()
    {
        var token = _authority.Mint(p => p["nbf"] = _authority.Clock.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds());
        await AssertInvalidToken(token, "token not yet valid");
    }

    [Fact]
    public async Task IssuedInFuture_IatBeyondSkew_Returns401()
    {
        var token = _authority.Mint(p => p["iat"] = _authority.Clock.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds());
        await AssertInvalidToken(token, "token issued in the future");
    }

    [Fact]
    public async Task Token_MissingExp_Returns401()
    {
        await AssertInvalidToken(_authority.Mint(p => p.Remove("exp")), "token has no expiry");
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("TRAILING-SLASH-MISSING")]
    [Trait("Rule", "JWT-7")]
    public async Task Token_WrongIssuer_Returns401(string issuer)
    {
        var value = issuer == "TRAILING-SLASH-MISSING" ? _authority.Issuer.TrimEnd('/') : issuer;
        await AssertInvalidToken(_authority.Mint(p => p["iss"] = value), "unexpected issuer");
    }

    [Fact]
    [Trait("Rule", "JWT-7")]
    public async Task Token_WrongAudience_Returns401()
    {
        await AssertInvalidToken(_authority.Mint(p => p["aud"] = new[] { "https://other/api", _authority.Issuer + "userinfo" }), "unexpected audience");
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("nOnE")]
    public async Task AlgNone_EmptySignature_Returns401(string alg)
    {
        var header = TestAuthority.B64(Encoding.UTF8.GetBytes($"{{\"alg\":\"{alg}\",\"typ\":\"JWT\"}}"));
        var payload = TestAuthority.B64(Encoding.UTF8.GetBytes(TestAuthority.Json(_authority.Claims())));
        await AssertInvalidToken($"{header}.{payload}.", "unsupported algorithm");
    }

    [Theory]
    [InlineData("none")]
    [InlineData("nOnE")]
    public async Task AlgNone_WithValidRsaSignatureAttached_Returns401(string alg)
    {
        var signed = _authority.Mint(header: h => h["alg"] = alg);
        var valid = _authority.Mint().Split('.')[2];
        var parts = signed.Split('.');
        await AssertInvalidToken($"{parts[0]}.{parts[1]}.{valid}", "unsupported algorithm");
    }

    [Theory]
    [InlineData("pem")]
    [InlineData("der")]
    [InlineData("jwk")]
    public async Task Hs256_SignedWithRsaPublicKey_Returns401(string form)
    {
        var rsa = _authority.Key.RsaKey;
        var secret = form switch
        {
            "pem" => Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()),
            "der" => rsa.ExportSubjectPublicKeyInfo(),
            _ => Encoding.UTF8.GetBytes(TestAuthority.Json(_authority.Key.PublicJwk())),
        };
        var input = TestAuthority.B64(Encoding.UTF8.GetBytes($"{{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"{_authority.Key.KeyId}\"}}"))
            + "." + TestAuthority.B64(Encoding.UTF8.GetBytes(TestAuthority.Json(_authority.Claims())));
        var token = input + "." + TestAuthority.B64(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
        await AssertInvalidToken(token, "unsupported algorithm");
    }

    [Fact]
    public async Task Rs512_NotAllowListed_Returns401()
    {
        await AssertInvalidToken(_authority.Mint(key: _authority.Key.WithAlgorithm("RS512")), "unsupported algorithm");
    }

    [Fact]
    public async Task Token_TamperedPayload_Returns401InvalidSignature()
    {
        var parts = _authority.Mint(p => p["scope"] = "read:messages").Split('.');
        var forged = TestAuthority.B64(Encoding.UTF8.GetBytes(TestAuthority.Json(_authority.Claims(scope: "read:messages write:messages admin"))));
        await AssertInvalidToken($"{parts[0]}.{forged}.{parts[2]}", "invalid signature");
    }

    [Fact]
    public async Task TamperedSignature_AfterValidUseIsCached_Returns401()
    {
        var token = _authority.Mint();
        using (var ok = await _api.GetAsync("private", token))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var last = token[^2] == 'A' ? 'B' : 'A';
        await AssertInvalidToken(token[..^2] + last + token[^1], "invalid signature");
    }

    [Theory]
    [InlineData("signature stripped", "missing signature")]
    [InlineData("two parts", "malformed token")]
    [InlineData("four parts", "malformed token")]
    [InlineData("padding", "malformed token")]
    [InlineData("not base64", "malformed token payload")]
    [InlineData("jwe", "encrypted tokens are not accepted")]
    [InlineData("zero signature", "invalid signature")]
    [InlineData("empty header", "malformed token")]
    [InlineData("empty payload", "malformed token")]
    [InlineData("leading dot", "malformed token")]
    [Trait("Rule", "JWT-8")]
    public async Task Token_Malformed_Returns401WithItsReason(string shape, string reason)
    {
        var parts = _authority.Mint().Split('.');
        var token = shape switch
        {
            "signature stripped" => $"{parts[0]}.{parts[1]}.",
            "two parts" => $"{parts[0]}.{parts[1]}",
            "four parts" => $"{parts[0]}.{parts[1]}.{parts[2]}.{parts[2]}",
            "padding" => $"{parts[0]}==.{parts[1]}.{parts[2]}",
            "not base64" => $"{parts[0]}.!!{parts[1]}.{parts[2]}",
            "jwe" => $"{parts[0]}.{parts[1]}.{parts[2]}.{parts[2]}.{parts[2]}",
            "empty header" => $".{parts[1]}.{parts[2]}",
            "empty payload" => $"{parts[0]}..{parts[2]}",
            "leading dot" => $".{parts[0]}{parts[1]}{parts[2]}",
            _ => $"{parts[0]}.{parts[1]}.{TestAuthority.B64(new byte[256])}",
        };
        await AssertInvalidToken(token, reason);
    }

    [Fact]
    public async Task DuplicateHeaderMembers_AlgTwice_Returns401()
    {
        var header = $"{{\"alg\":\"RS256\",\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"{_authority.Key.KeyId}\"}}";
        var token = TestAuthority.MintRaw(header, TestAuthority.Json(_authority.Claims()), _authority.Key);
        await AssertInvalidToken(token, "malformed token header");
    }

    [Fact]
    public async Task DuplicatePayloadMembers_AudTwice_Returns401()
    {
        var claims = _authority.Claims();
        claims.Remove("aud");
        var json = TestAuthority.Json(claims);
        var payload = "{\"aud\":\"https://other/api\",\"aud\":\"" + TestAuthority.Audience + "\"," + json[1..];
        var header = $"{{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"{_authority.Key.KeyId}\"}}";
        await AssertInvalidToken(TestAuthority.MintRaw(header, payload, _authority.Key), "malformed token payload");
    }

    [Fact]
    [Trait("Rule", "JWT-12")]
    public async Task Token_Utf16Payload_Returns401()
    {
        var header = $"{{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"{_authority.Key.KeyId}\"}}";
        var input = TestAuthority.B64(Encoding.UTF8.GetBytes(header)) + "." + TestAuthority.B64(Encoding.Unicode.GetBytes(TestAuthority.Json(_authority.Claims())));
        var token = input + "." + TestAuthority.B64(_authority.Key.Sign(Encoding.ASCII.GetBytes(input)));
        await AssertInvalidToken(token, "malformed token payload");
    }

    [Fact]
    [Trait("Rule", "JWT-10")]
    public async Task Token_CritHeader_Returns401()
    {
        await AssertInvalidToken(_authority.Mint(header: h => h["crit"] = new[] { "exp" }), "unsupported critical header parameter");
    }

    [Theory]
    [InlineData("logout+jwt")]
    [InlineData("id_token")]
    [InlineData(null)]
    [Trait("Rule", "JWT-6")]
    public async Task Token_WrongOrMissingTyp_Returns401(string? typ)
    {
        var token = _authority.Mint(header: h =>
        {
            if (typ is null)
            {
                h.Remove("typ");
            }
            else
            {
                h["typ"] = typ;
            }
        });
        await AssertInvalidToken(token, "unsupported token type");
    }

    [Fact]
    public async Task IdToken_PresentedAsAccessToken_Returns401()
    {
        // What an authorization server really issues as an ID token: aud is the client, nonce and at_hash present.
        var token = _authority.Mint(
            p =>
            {
                p["aud"] = TestAuthority.ClientId;
                p["nonce"] = "n-0S6_WzA2Mj";
                p["at_hash"] = "77QmUPtjPfzWtF2AnpK9RQ";
                p.Remove("scope");
                p.Remove("permissions");
            },
            h => h["typ"] = "JWT");
        await AssertInvalidToken(token, "unexpected audience");
    }

    [Theory]
    [InlineData("nonce")]
    [InlineData("at_hash")]
    [InlineData("c_hash")]
    public async Task IdToken_EvenWithApiAudience_Returns401(string idTokenClaim)
    {
        var token = _authority.Mint(p => p[idTokenClaim] = "x", h => h["typ"] = "JWT");
        await AssertInvalidToken(token, "an ID token is not an access token");
    }

    [Fact]
    public async Task IdTokenShape_AudienceIsTheClientItself_Returns401()
    {
        var token = _authority.Mint(p => { p["aud"] = TestAuthority.Audience; p["azp"] = TestAuthority.Audience; });
        await AssertInvalidToken(token, "an ID token is not an access token");
    }

    [Fact]
    public async Task UnknownKid_GarbageValues_Return401WithoutServerError()
    {
        foreach (var kid in new[] { "../../dev/null", "' OR '1'='1", new string('k', 10_000) })
        {
            await AssertInvalidToken(_authority.Mint(header: h => h["kid"] = kid), "unknown signing key");
        }
    }

    [Fact]
    public async Task Token_MissingKid_Returns401()
    {
        await AssertInvalidToken(_authority.Mint(header: h => h.Remove("kid")), "unknown signing key");
    }

    [Fact]
    public async Task JkuAndJwkHeaders_AttackerKey_IgnoredAndNeverFetched()
    {
        var attacker = SigningKey.Rsa("attacker");
        var jku = _authority.Issuer + "attacker/jwks.json";
        var x5u = _authority.Issuer + "attacker/cert.pem";
        var withUnknownKid = _authority.Mint(header: h => { h["jku"] = jku; h["x5u"] = x5u; h["jwk"] = attacker.PublicJwk(); }, key: attacker);
        var withKnownKid = _authority.Mint(header: h => { h["kid"] = _authority.Key.KeyId; h["jku"] = jku; h["jwk"] = attacker.PublicJwk(); }, key: attacker);

        await AssertInvalidToken(withUnknownKid, "unknown signing key");
        await AssertInvalidToken(withKnownKid, "invalid signature");
        Assert.Equal(0, _authority.Hits("/attacker/jwks.json"));
        Assert.Equal(0, _authority.Hits("/attacker/cert.pem"));
    }

    [Theory]
    [InlineData("header", "malformed token header")]
    [InlineData("payload", "malformed token payload")]
    [Trait("Rule", "JWT-9")]
    public async Task StrictJson_TrailingComma_Returns401(string part, string reason)
    {
        var header = $"{{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"{_authority.Key.KeyId}\"}}";
        var payload = TestAuthority.Json(_authority.Claims());
        var token = part == "header"
            ? TestAuthority.MintRaw(header[..^1] + ",}", payload, _authority.Key)
            : TestAuthority.MintRaw(header, payload[..^1] + ",}", _authority.Key);
        await AssertInvalidToken(token, reason);
    }

    [Theory]
    [InlineData("header", "malformed token header")]
    [InlineData("payload", "malformed token payload")]
    [Trait("Rule", "JWT-9")]
    public async Task StrictJson_Comment_Returns401(string part, string reason)
    {
        var header = $"{{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"{_authority.Key.KeyId}\"}}";
        var payload = TestAuthority.Json(_authority.Claims());
        var token = part == "header"
            ? TestAuthority.MintRaw("/* c */" + header, payload, _authority.Key)
            : TestAuthority.MintRaw(header, "/* c */" + payload, _authority.Key);
        await AssertInvalidToken(token, reason);
    }

    [Fact]
    [Trait("Rule", "JWT-9")]
    public async Task StrictJson_NestedDeeperThan16_Returns401()
    {
        var claims = _authority.Claims();
        claims["deep"] = Enumerable.Range(0, 20).Aggregate((object)"x", (inner, _) => new[] { inner });
        await AssertInvalidToken(_authority.Mint(p => p["deep"] = claims["deep"]), "malformed token payload");
    }

    [Theory]
    [InlineData("[1]", "header", "malformed token header")]
    [InlineData("\"text\"", "payload", "malformed token payload")]
    [Trait("Rule", "JWT-12")]
    public async Task Token_JsonNotAnObject_Returns401(string json, string part, string reason)
    {
        var header = $"{{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"{_authority.Key.KeyId}\"}}";
        var token = part == "header"
            ? TestAuthority.MintRaw(json, TestAuthority.Json(_authority.Claims()), _authority.Key)
            : TestAuthority.MintRaw(header, json, _authority.Key);
        await AssertInvalidToken(token, reason);
    }

    [Theory]
    [InlineData(42)]
    [InlineData(null)]
    public async Task Token_KidNotAString_Returns401(int? kid)
    {
        await AssertInvalidToken(_authority.Mint(header: h => h["kid"] = kid), "malformed token header");
    }

    [Fact]
    public async Task Token_AlgNotAString_Returns401()
    {
        var header = $"{{\"alg\":[\"RS256\"],\"typ\":\"at+jwt\",\"kid\":\"{_authority.Key.KeyId}\"}}";
        await AssertInvalidToken(TestAuthority.MintRaw(header, TestAuthority.Json(_authority.Claims()), _authority.Key), "unsupported algorithm");
    }

    [Fact]
    public async Task Token_AlgMissing_Returns401()
    {
        await AssertInvalidToken(_authority.Mint(header: h => h.Remove("alg")), "unsupported algorithm");
    }

    [Fact]
    public async Task IdToken_SHash_Returns401()
    {
        var token = _authority.Mint(p => p["s_hash"] = "x", h => h["typ"] = "JWT");
        await AssertInvalidToken(token, "an ID token is not an access token");
    }

    [Fact]
    public async Task IdTokenShape_NoAzpAndClientIdIsTheAudience_Returns401()
    {
        var token = _authority.Mint(p =>
        {
            p.Remove("azp");
            p["aud"] = TestAuthority.Audience;
            p["client_id"] = TestAuthority.Audience;
        });
        await AssertInvalidToken(token, "an ID token is not an access token");
    }

    [Theory]
    [InlineData("azp")]
    [InlineData("client_id")]
    public async Task AccessToken_ClientIsOneOfSeveralAudiences_Returns200(string clientClaim)
    {
        // RFC 9068 access tokens name the client in client_id, Auth0's in azp; an API audience next to it is normal.
        var token = _authority.Mint(p =>
        {
            p.Remove("azp");
            p["aud"] = new[] { TestAuthority.Audience, TestAuthority.ClientId };
            p[clientClaim] = TestAuthority.ClientId;
        });
        using var response = await _api.GetAsync("private", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task AccessToken_EmptyOrNoClient_Returns200(string? azp)
    {
        var token = _authority.Mint(p =>
        {
            p["aud"] = TestAuthority.Audience;
            if (azp is null)
            {
                p.Remove("azp");
            }
            else
            {
                p["azp"] = azp;
            }
        });
        using var response = await _api.GetAsync("private", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OversizedToken_Over16KB_Returns401TooLarge()
    {
        var token = _authority.Mint(p => p["padding"] = new string('x', 17 * 1024));
        await AssertInvalidToken(token, "token too large");
    }

    [Fact]
    public async Task OneMegabyteHeader_RefusedBeforeTheApp_NeverServerError()
    {
        using var response = await _api.GetAsync("private", new string('a', 1024 * 1024));
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task NonAsciiToken_RawUtf8Bytes_RefusedNeverServerError()
    {
        // HttpClient refuses to send non-ASCII headers, so write the request on a socket.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(_api.Address.Host, _api.Address.Port);
        var stream = tcp.GetStream();
        var request = Encoding.UTF8.GetBytes($"GET /private HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {_authority.Mint()}\u00e9\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync();
        Assert.Matches("^HTTP/1.1 (400|401) ", statusLine);
    }

    [Fact]
    public async Task ClaimMapping_Off_ClaimTypesArriveAsInTheToken()
    {
        using var response = await _api.GetAsync("me", _authority.Mint());
        var body = await Body(response);
        var types = body.GetProperty("claims").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("sub", types);
        Assert.Contains("scope", types);
        Assert.Contains("permissions", types);
        Assert.DoesNotContain(types, t => t!.StartsWith("http://schemas", StringComparison.Ordinal));
        Assert.Equal("latchkey|0123456789abcdef01234567", body.GetProperty("name").GetString());
    }

    private async Task AssertInvalidToken(string token, string description)
    {
        using var response = await _api.GetAsync("private", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.StartsWith("Bearer error=\"invalid_token\", error_description=\"", challenge);
        var body = await Body(response);
        Assert.Equal("invalid_token", body.GetProperty("error").GetString());
        Assert.Equal(description, body.GetProperty("error_description").GetString());
        Assert.Contains($"error_description=\"{description}\"", challenge);
    }

    private static async Task<JsonElement> Body(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
