using System.Net;
using System.Security.Cryptography;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// RFC 6749 §4.1.2: when a code is used twice the server SHOULD revoke what it issued. But anyone who saw a redeemed
/// code (history, logs, <c>Referer</c>) could then revoke the victim's tokens at will, so only a replay that is
/// otherwise valid revokes (OAuth 2.1 §7.5.2): an authenticated confidential client, or a public client with the right
/// <c>code_verifier</c> and <c>redirect_uri</c>. An invalid replay is refused and changes nothing.
/// </summary>
public sealed class CodeReplayRevocationTests
{
    private const string AlreadyRedeemed = "The authorization code has already been redeemed.";

    public static TheoryData<string> Providers => StorageServer.Providers;

    [Theory]
    [Trait("Rule", "CODE-8")]
    [MemberData(nameof(Providers))]
    public async Task Replay_PublicClientInvalidThenValid_VictimTokensSurviveInvalidAndDieOnValid(string provider)
    {
        await using var storage = await StorageServer.StartAsync(provider, ProtocolTenant.Json);
        var server = storage.Server;
        var flow = new CodeFlow();
        using var victim = server.CreateClient(new CookieContainer());
        using var attacker = server.CreateClient();
        var code = await flow.GetCodeAsync(server, victim);
        var issued = await (await flow.RedeemAsync(victim, code)).ReadJsonObjectAsync();
        var refreshToken = (string)issued["refresh_token"]!;

        // Invalid replays: each is refused for its own reason, and the victim's refresh token still works after each.
        var wrongVerifier = await flow.RedeemAsync(attacker, code, verifier: Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)));
        await AssertErrorAsync(wrongVerifier, HttpStatusCode.BadRequest, "invalid_grant", "The specified 'code_verifier' is invalid.");
        var missingVerifier = await attacker.PostFormAsync("oauth/token",
            ("grant_type", "authorization_code"), ("client_id", flow.ClientId), ("code", code), ("redirect_uri", flow.RedirectUri));
        await AssertErrorAsync(missingVerifier, HttpStatusCode.BadRequest, "invalid_request", "The 'code_verifier' parameter required for this client application is missing.");
        var wrongRedirect = await flow.RedeemAsync(attacker, code, redirectUri: "http://localhost:3000/other");
        await AssertErrorAsync(wrongRedirect, HttpStatusCode.BadRequest, "invalid_grant", "The specified 'redirect_uri' parameter doesn't match the client redirection URI the authorization code was initially sent to.");
        var otherClient = await flow.RedeemAsync(attacker, code, clientId: ProtocolTenant.LeewayClient);
        await AssertErrorAsync(otherClient, HttpStatusCode.BadRequest, "invalid_grant", "The specified authorization code cannot be used by this client application.");

        var rotated = await CodeFlow.RefreshAsync(victim, flow.ClientId, refreshToken);
        var rotatedBody = await rotated.ReadJsonObjectAsync();
        Assert.True(rotated.StatusCode == HttpStatusCode.OK, rotatedBody.ToJsonString());

        // The holder of the verifier replays the code: that is a real second redemption, so the family is revoked.
        var valid = await flow.RedeemAsync(attacker, code);
        await AssertErrorAsync(valid, HttpStatusCode.BadRequest, "invalid_grant", AlreadyRedeemed);
        var afterRevocation = await CodeFlow.RefreshAsync(victim, flow.ClientId, (string)rotatedBody["refresh_token"]!);
        await AssertErrorAsync(afterRevocation, HttpStatusCode.BadRequest, "invalid_grant", "Unknown or invalid refresh token.");
    }

    [Theory]
    [Trait("Rule", "CODE-8")]
    [MemberData(nameof(Providers))]
    public async Task Replay_ConfidentialClientWrongThenRightSecret_VictimTokensSurviveWrongAndDieOnRight(string provider)
    {
        await using var storage = await StorageServer.StartAsync(provider, ProtocolTenant.Json);
        var server = storage.Server;
        var flow = new CodeFlow { ClientId = ProtocolTenant.WebClient, RedirectUri = ProtocolTenant.WebCallback };
        using var victim = server.CreateClient(new CookieContainer());
        using var attacker = server.CreateClient();
        var code = await flow.GetCodeAsync(server, victim);
        var issued = await (await flow.RedeemAsync(victim, code, secret: ProtocolTenant.WebSecret)).ReadJsonObjectAsync();
        var refreshToken = (string)issued["refresh_token"]!;

        var wrongSecret = await flow.RedeemAsync(attacker, code, secret: "not-the-secret-of-this-client-0123456789");
        await AssertErrorAsync(wrongSecret, HttpStatusCode.Unauthorized, "invalid_client", "The specified client credentials are invalid.");
        var noSecret = await flow.RedeemAsync(attacker, code);
        await AssertErrorAsync(noSecret, HttpStatusCode.Unauthorized, "invalid_client", "Client authentication is required for this application.");
        var stillValid = await CodeFlow.RefreshAsync(victim, flow.ClientId, refreshToken, ("client_secret", ProtocolTenant.WebSecret));
        var stillValidBody = await stillValid.ReadJsonObjectAsync();
        Assert.True(stillValid.StatusCode == HttpStatusCode.OK, stillValidBody.ToJsonString());

        var authenticated = await flow.RedeemAsync(attacker, code, secret: ProtocolTenant.WebSecret);
        await AssertErrorAsync(authenticated, HttpStatusCode.BadRequest, "invalid_grant", AlreadyRedeemed);
        var afterRevocation = await CodeFlow.RefreshAsync(victim, flow.ClientId, (string)stillValidBody["refresh_token"]!, ("client_secret", ProtocolTenant.WebSecret));
        await AssertErrorAsync(afterRevocation, HttpStatusCode.BadRequest, "invalid_grant", "Unknown or invalid refresh token.");
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error, string description)
    {
        var body = await response.ReadJsonObjectAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body.ToJsonString()}");
        Assert.Equal(error, (string?)body["error"]);
        Assert.Equal(description, (string?)body["error_description"]);
    }
}
