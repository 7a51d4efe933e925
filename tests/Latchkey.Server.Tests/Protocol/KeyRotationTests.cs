using System.Net;
using System.Net.Http.Headers;
using Latchkey.Server.Protocol.Keys;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Management;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// Signing-key life: next (published, unused) → current (signs) → previous (published until its tokens expired),
/// on a schedule and on request, and revocation. DISC-5 and DISC-6 in the security catalogue.
/// </summary>
public sealed class KeyRotationTests
{
    [Fact]
    [Trait("Rule", "DISC-5")]
    [Trait("Rule", "DISC-6")]
    public async Task AutomaticRotation_OnFakeClock_NextKeyPublishedBeforeItSignsAndOldTokensVerifyUntilRetired()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json, clock);
        using var client = server.CreateClient();
        var ring = server.Services.GetRequiredService<ProtocolKeyRing>();

        var atStart = await KidsAsync(client);
        Assert.Equal(2, atStart.Count);
        var (first, next) = (atStart[0], atStart[1]);
        Assert.Equal(first, await SignedByAsync(client));

        // Just before the 90-day schedule: nothing changes, the next key still signs nothing.
        clock.Advance(TimeSpan.FromDays(90) - TimeSpan.FromMinutes(1));
        await ring.RefreshAsync();
        var oldToken = await TokenAsync(client);
        Assert.Equal(first, Kid(oldToken));
        Assert.Equal(atStart, await KidsAsync(client));

        // Past it: the key published since the start signs; a new next key is published; the old key stays published.
        clock.Advance(TimeSpan.FromMinutes(2));
        await ring.RefreshAsync();
        var afterRotation = await KidsAsync(client);
        Assert.Equal(next, afterRotation[0]);
        Assert.Equal(next, await SignedByAsync(client));
        Assert.Equal(3, afterRotation.Count);
        Assert.Contains(first, afterRotation);
        var newNext = afterRotation.Except([first, next]).Single();
        Assert.True(await VerifiesAsync(client, oldToken), "a token signed before the rotation still verifies");

        // Once no token the old key signed can be alive (the tenant's longest lifetime, 30-day refresh tokens, plus a
        // margin), it leaves the JWKS; the next key is still unused.
        clock.Advance(TimeSpan.FromDays(31));
        await ring.RefreshAsync();
        Assert.Equal([next, newNext], await KidsAsync(client));
        Assert.False(await VerifiesAsync(client, oldToken));
    }

    [Fact]
    [Trait("Rule", "DISC-6")]
    public async Task RotateThenRevoke_ManagementTokenOfRevokedKey_IsRejected()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ManagementTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer);
        using var client = server.CreateClient();
        var ring = server.Services.GetRequiredService<ProtocolKeyRing>();
        var atStart = await KidsAsync(client);
        var (first, next) = (atStart[0], atStart[1]);
        var oldToken = await ManagementTokens.ClientCredentialsAsync(server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);

        var rotated = await ring.RotateAsync();

        Assert.Equal(next, rotated.Id);
        Assert.Equal(next, (await KidsAsync(client))[0]);
        var newToken = await ManagementTokens.ClientCredentialsAsync(server, ManagementTenant.AdminClient, ManagementTenant.AdminSecret);
        Assert.Equal(next, Kid(newToken));
        Assert.Equal(HttpStatusCode.NotFound, await ManagementStatusAsync(client, oldToken));
        Assert.Equal(HttpStatusCode.NotFound, await ManagementStatusAsync(client, newToken));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ring.RevokeAsync(next));

        Assert.NotNull(await ring.RevokeAsync(first));

        Assert.DoesNotContain(first, await KidsAsync(client));
        Assert.Equal(HttpStatusCode.Unauthorized, await ManagementStatusAsync(client, oldToken));
        Assert.Equal(HttpStatusCode.NotFound, await ManagementStatusAsync(client, newToken));
        Assert.Null(await ring.RevokeAsync("no-such-kid"));
    }

    /// <summary>The kids the JWKS publishes, in its order (current first).</summary>
    internal static async Task<List<string>> KidsAsync(HttpClient client) =>
        [.. (await (await client.GetAsync(".well-known/jwks.json")).ReadJsonObjectAsync())["keys"]!.AsArray().Select(k => (string)k!["kid"]!)];

    private static async Task<string> TokenAsync(HttpClient client)
    {
        var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)(await response.ReadJsonObjectAsync())["access_token"]!;
    }

    private static async Task<string> SignedByAsync(HttpClient client) => Kid(await TokenAsync(client));

    private static string Kid(string jwt) => (string)TokenClient.Decode(jwt).Header["kid"]!;

    /// <summary>Signature against the JWKS served now (lifetime is not the question here: the fake clock is days ahead).</summary>
    private static async Task<bool> VerifiesAsync(HttpClient client, string token)
    {
        var jwks = new JsonWebKeySet(await client.GetStringAsync(".well-known/jwks.json"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        return result.IsValid;
    }

    /// <summary>An authenticated caller with read:users gets 404 for a user that does not exist; a rejected token gets 401.</summary>
    internal static async Task<HttpStatusCode> ManagementStatusAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v2/users/" + Uri.EscapeDataString("latchkey|000000000000000000000000"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.SendAsync(request)).StatusCode;
    }
}
