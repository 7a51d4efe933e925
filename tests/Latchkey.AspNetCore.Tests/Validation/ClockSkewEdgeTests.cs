using System.Net;
using System.Text.Json;
using Latchkey.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Latchkey.AspNetCore.Tests.Validation;

/// <summary>
/// The exact edges of the 30 s clock skew on <c>exp</c>, <c>nbf</c> and <c>iat</c>. The clock stands on a whole second,
/// so a claim (whole seconds) can sit exactly on the edge: one second either side decides.
/// </summary>
public sealed class ClockSkewEdgeTests : IAsyncLifetime
{
    private const int Skew = 30;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private TestAuthority _authority = null!;
    private ProtectedApi _api = null!;

    public async Task InitializeAsync()
    {
        _authority = await TestAuthority.StartAsync(new FakeTimeProvider(Now));
        _api = await ProtectedApi.StartAsync(_authority, o => o.ClockSkew = TimeSpan.FromSeconds(Skew));
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _authority.DisposeAsync();
    }

    [Fact]
    public async Task Exp_ExactlySkewAgo_RefusedAsExpired()
    {
        await AssertRefused(p => p["exp"] = Now.AddSeconds(-Skew).ToUnixTimeSeconds(), "token expired");
    }

    [Fact]
    public async Task Exp_OneSecondInsideSkew_Accepted()
    {
        await AssertAccepted(p => p["exp"] = Now.AddSeconds(-Skew + 1).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Nbf_InsideSkew_Accepted()
    {
        await AssertAccepted(p => p["nbf"] = Now.AddSeconds(Skew - 10).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Nbf_ExactlyAtSkew_Accepted()
    {
        await AssertAccepted(p => p["nbf"] = Now.AddSeconds(Skew).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Nbf_OneSecondBeyondSkew_RefusedAsNotYetValid()
    {
        await AssertRefused(p => p["nbf"] = Now.AddSeconds(Skew + 1).ToUnixTimeSeconds(), "token not yet valid");
    }

    [Fact]
    public async Task Iat_ExactlyAtSkew_Accepted()
    {
        await AssertAccepted(p => p["iat"] = Now.AddSeconds(Skew).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Iat_OneSecondBeyondSkew_RefusedAsIssuedInTheFuture()
    {
        await AssertRefused(p => p["iat"] = Now.AddSeconds(Skew + 1).ToUnixTimeSeconds(), "token issued in the future");
    }

    private async Task AssertAccepted(Action<Dictionary<string, object?>> payload)
    {
        using var response = await _api.GetAsync("private", _authority.Mint(payload));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task AssertRefused(Action<Dictionary<string, object?>> payload, string reason)
    {
        using var response = await _api.GetAsync("private", _authority.Mint(payload));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(reason, body.RootElement.GetProperty("error_description").GetString());
    }
}
