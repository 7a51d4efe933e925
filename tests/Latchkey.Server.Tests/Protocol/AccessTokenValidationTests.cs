using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// /userinfo is Latchkey's own consumer of access tokens: only its own RS256 <c>at+jwt</c> tokens are accepted
/// (docs/reference/security-catalogue.md JWT-1, JWT-4, JWT-6, JWT-8).
/// </summary>
[Trait("Rule", "JWT-1")]
[Trait("Rule", "JWT-4")]
[Trait("Rule", "JWT-6")]
[Trait("Rule", "JWT-8")]
public sealed class AccessTokenValidationTests(ProtocolServerFixture fixture) : IClassFixture<ProtocolServerFixture>
{
    [Fact]
    public async Task UserInfo_IdTokenAsBearer_Is401()
    {
        var tokens = await new CodeFlow().RunAsync(fixture.Server);

        var response = await UserInfoAsync((string)tokens["id_token"]!);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task UserInfo_TamperedOrStrippedSignature_Is401()
    {
        var tokens = await new CodeFlow().RunAsync(fixture.Server);
        var accessToken = (string)tokens["access_token"]!;
        var parts = accessToken.Split('.');
        var payload = TokenClient.Decode(accessToken).Payload;
        payload["sub"] = "latchkey|000000000000000000000000";
        var forged = $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";

        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(accessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync($"{parts[0]}.{parts[1]}.")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync($"{parts[0]}.{parts[1]}")).StatusCode);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("nOnE")]
    public async Task UserInfo_AlgNone_Is401(string alg)
    {
        var tokens = await new CodeFlow().RunAsync(fixture.Server);
        var payload = TokenClient.Decode((string)tokens["access_token"]!).Payload;
        var header = Base64UrlEncoder.Encode($$"""{"alg":"{{alg}}","typ":"at+jwt"}""");

        var response = await UserInfoAsync($"{header}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task UserInfo_TokenSignedByAnotherKeyWithSameKid_Is401()
    {
        var tokens = await new CodeFlow().RunAsync(fixture.Server);
        var (header, payload) = TokenClient.Decode((string)tokens["access_token"]!);
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = (string?)header["kid"] };

        var forged = new JsonWebTokenHandler().CreateToken(payload.ToJsonString(), new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            new Dictionary<string, object> { ["typ"] = "at+jwt" });

        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(forged)).StatusCode);
    }

    [Fact]
    public async Task UserInfo_HmacSignedWithThePublicKey_Is401()
    {
        var tokens = await new CodeFlow().RunAsync(fixture.Server);
        var (header, payload) = TokenClient.Decode((string)tokens["access_token"]!);
        using var client = fixture.Server.CreateClient();
        var jwks = await client.GetStringAsync(".well-known/jwks.json");
        var symmetric = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwks)) { KeyId = (string?)header["kid"] };

        var forged = new JsonWebTokenHandler().CreateToken(payload.ToJsonString(), new SigningCredentials(symmetric, SecurityAlgorithms.HmacSha256),
            new Dictionary<string, object> { ["typ"] = "at+jwt" });

        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(forged)).StatusCode);
    }

    private async Task<HttpResponseMessage> UserInfoAsync(string token)
    {
        using var client = fixture.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}
