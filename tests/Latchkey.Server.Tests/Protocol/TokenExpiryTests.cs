using System.Net;
using System.Net.Http.Headers;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// Expiry over real HTTP with a clock the tests move (no sleeping): the server runs on a <see cref="FakeTimeProvider"/>
/// that OpenIddict (<c>OpenIddictServerOptions.TimeProvider</c>, <c>OpenIddictCoreOptions.TimeProvider</c>) and
/// Latchkey's handlers both read. OpenIddict turns IdentityModel's own lifetime check off
/// (<c>TokenValidationParameters.ValidateLifetime = false</c>) and checks <c>exp</c> itself against that clock
/// (<c>Protection.ValidateExpirationDate</c>), so moving it expires codes, refresh tokens and access tokens.
/// The clock is shared by the tests of this class and only ever moves forward; each test measures from its own start.
/// </summary>
public sealed class TokenExpiryTests(TokenExpiryTests.ClockServerFixture fixture) : IClassFixture<TokenExpiryTests.ClockServerFixture>
{
    /// <summary>Auth0's exact body for an expired or unknown refresh token (docs/reference/auth0-wire.md R4.8).</summary>
    private const string UnknownRefreshToken = """{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}""";

    /// <summary>The server's authorization-code lifetime (<c>Latchkey:Tokens:AuthorizationCodeLifetime</c>, default).</summary>
    private static readonly TimeSpan CodeLifetime = new Latchkey.Server.Hosting.TokenOptions().AuthorizationCodeLifetime;

    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1800);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private LatchkeyTestServer Server => fixture.Server;

    private FakeTimeProvider Clock => fixture.Clock;

    [Fact]
    [Trait("Rule", "CODE-6")]
    public async Task Code_RedeemedJustBeforeItsLifetime_IsAccepted()
    {
        var flow = new CodeFlow();
        using var client = Server.CreateClient(new CookieContainer());
        var code = await flow.GetCodeAsync(Server, client);

        Clock.Advance(CodeLifetime - Second);
        var response = await flow.RedeemAsync(client, code);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(5 * 60 + 1)]
    [InlineData(10 * 60 + 1)]
    [Trait("Rule", "CODE-6")]
    public async Task Code_RedeemedAfterItsLifetime_FailsWithInvalidGrant(int seconds)
    {
        var flow = new CodeFlow();
        using var client = Server.CreateClient(new CookieContainer());
        var code = await flow.GetCodeAsync(Server, client);

        Clock.Advance(TimeSpan.FromSeconds(seconds));
        var response = await flow.RedeemAsync(client, code);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (string?)(await response.ReadJsonObjectAsync())["error"]);
    }

    [Fact]
    [Trait("Rule", "RT-6")]
    public async Task Refresh_Every20Minutes_WorksUntilTheAbsoluteLifetimeThenFails()
    {
        var refreshToken = await StartFamilyAsync();
        using var client = Server.CreateClient();

        // token_lifetime 3600 s, idle 1800 s: each rotation is inside the idle window, but none extends the family.
        Clock.Advance(TimeSpan.FromMinutes(20));
        refreshToken = await RefreshOkAsync(client, refreshToken);
        Clock.Advance(TimeSpan.FromMinutes(20));
        refreshToken = await RefreshOkAsync(client, refreshToken);

        // 20 min + 1 s after its issue (well inside idle), but 60 min + 1 s after the family began.
        Clock.Advance(TimeSpan.FromMinutes(20) + Second);
        var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.LifetimesClient, refreshToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(UnknownRefreshToken, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    [Trait("Rule", "RT-6")]
    public async Task Refresh_AtTheEndOfTheAbsoluteLifetime_IssuesNoTokenThatOutlivesIt()
    {
        var refreshToken = await StartFamilyAsync();
        using var client = Server.CreateClient();
        Clock.Advance(TimeSpan.FromMinutes(25));
        refreshToken = await RefreshOkAsync(client, refreshToken);
        Clock.Advance(TimeSpan.FromMinutes(25));
        refreshToken = await RefreshOkAsync(client, refreshToken);
        Clock.Advance(TimeSpan.FromMinutes(10) - Second);
        refreshToken = await RefreshOkAsync(client, refreshToken);

        Clock.Advance(2 * Second);
        var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.LifetimesClient, refreshToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(UnknownRefreshToken, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    [Trait("Rule", "RT-7")]
    public async Task Refresh_JustBeforeTheIdleLifetime_Works()
    {
        var refreshToken = await StartFamilyAsync();
        using var client = Server.CreateClient();

        Clock.Advance(Idle - Second);
        refreshToken = await RefreshOkAsync(client, refreshToken);

        // The rotated token has a fresh idle window of its own.
        Clock.Advance(Idle - Second);
        await RefreshOkAsync(client, refreshToken);
    }

    [Fact]
    [Trait("Rule", "RT-7")]
    [Trait("Rule", "R4.8")]
    public async Task Refresh_UnusedForTheIdleLifetimePlusOneSecond_FailsWithAuth0Text()
    {
        var refreshToken = await StartFamilyAsync();
        using var client = Server.CreateClient();

        Clock.Advance(Idle + Second);
        var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.LifetimesClient, refreshToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(UnknownRefreshToken, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AccessToken_IssuedOnTheInjectedClock_ExpIsIatPlusTheApiTokenLifetime()
    {
        // Move well away from the system clock, so a token stamped by the system clock could not pass.
        Clock.Advance(TimeSpan.FromHours(5));
        var issuedAt = Clock.GetUtcNow().ToUnixTimeSeconds();

        var body = await new CodeFlow().RunAsync(Server);

        var (_, payload) = TokenClient.Decode((string)body["access_token"]!);
        Assert.Equal(issuedAt, (long)payload["iat"]!);
        Assert.Equal(issuedAt + 3600, (long)payload["exp"]!); // https://api.example.com: token_lifetime 3600
        Assert.Equal(3600, (long)body["expires_in"]!);
    }

    [Fact]
    public async Task AccessToken_AtUserInfo_IsAcceptedUntilExpAndRejectedAfter()
    {
        var body = await new CodeFlow().RunAsync(Server);
        var accessToken = (string)body["access_token"]!;
        using var client = Server.CreateClient();

        Clock.Advance(TimeSpan.FromSeconds(3600));
        var atExp = await UserInfoAsync(client, accessToken);
        Clock.Advance(Second);
        var afterExp = await UserInfoAsync(client, accessToken);

        Assert.Equal(HttpStatusCode.OK, atExp.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterExp.StatusCode);
    }

    private static Task<HttpResponseMessage> UserInfoAsync(HttpClient client, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client.SendAsync(request);
    }

    /// <summary>Code flow for the client with token_lifetime 3600 / idle 1800; returns the first refresh token.</summary>
    private async Task<string> StartFamilyAsync()
    {
        var body = await new CodeFlow { ClientId = ProtocolTenant.LifetimesClient }.RunAsync(Server);
        return (string)body["refresh_token"]!;
    }

    private static async Task<string> RefreshOkAsync(HttpClient client, string refreshToken)
    {
        var response = await CodeFlow.RefreshAsync(client, ProtocolTenant.LifetimesClient, refreshToken);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var rotated = (string?)System.Text.Json.Nodes.JsonNode.Parse(body)!["refresh_token"];
        Assert.False(string.IsNullOrEmpty(rotated));
        return rotated;
    }

    /// <summary>One server for the class on a fake clock that starts at the current whole second.</summary>
    public sealed class ClockServerFixture : IAsyncLifetime
    {
        private LatchkeyTestServer? _server;

        // Whole seconds: JWT times are whole seconds, so the ±1 s boundaries are exact.
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        public LatchkeyTestServer Server => _server ?? throw new InvalidOperationException("Not started.");

        public async Task InitializeAsync() => _server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json, Clock);

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }
}
