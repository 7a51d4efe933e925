using System.Net;
using System.Text.Json;
using Latchkey.AspNetCore.Tests.Infrastructure;

namespace Latchkey.AspNetCore.Tests.Authorization;

/// <summary>RequireScope/RequirePermission on endpoints, groups, policies and controllers, and RFC 6750 answers.</summary>
public sealed class ScopeAndPermissionTests : IClassFixture<AuthorityAndApi>
{
    private readonly TestAuthority _authority;
    private readonly ProtectedApi _api;

    public ScopeAndPermissionTests(AuthorityAndApi fixture)
    {
        _authority = fixture.Authority;
        _api = fixture.Api;
    }

    [Theory]
    [InlineData("scoped")]
    [InlineData("policy")]
    [InlineData("controller/scoped")]
    public async Task RequireScope_ScopeGranted_Returns200(string path)
    {
        using var response = await _api.GetAsync(path, _authority.Mint(p => p["scope"] = "openid read:messages profile"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("scoped")]
    [InlineData("policy")]
    [InlineData("controller/scoped")]
    public async Task RequireScope_ScopeMissing_Returns403InsufficientScope(string path)
    {
        using var response = await _api.GetAsync(path, _authority.Mint(p => p["scope"] = "openid profile read:messagesX"));
        await AssertInsufficientScope(response, "read:messages");
    }

    [Fact]
    public async Task RequireScope_ScopeAsJsonArray_Returns200()
    {
        using var response = await _api.GetAsync("scoped", _authority.Mint(p => p["scope"] = new[] { "openid", "read:messages" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RequireScope_OnlyPermissionGranted_Returns403()
    {
        // A permission is not a scope: /scoped reads only the scope claim.
        using var response = await _api.GetAsync("scoped", _authority.Mint(p => { p.Remove("scope"); p["permissions"] = new[] { "read:messages" }; }));
        await AssertInsufficientScope(response, "read:messages");
    }

    [Fact]
    public async Task RequireScope_TwoScopes_NeedsBoth()
    {
        using var one = await _api.GetAsync("two-scopes", _authority.Mint(p => p["scope"] = "read:messages"));
        await AssertInsufficientScope(one, "read:messages write:messages");
        using var both = await _api.GetAsync("two-scopes", _authority.Mint(p => p["scope"] = "write:messages read:messages"));
        Assert.Equal(HttpStatusCode.OK, both.StatusCode);
    }

    [Fact]
    public async Task RequireScope_OnGroup_AppliesToItsEndpoints()
    {
        using var denied = await _api.GetAsync("admin/item", _authority.Mint(p => p["scope"] = "read:messages"));
        await AssertInsufficientScope(denied, "write:messages");
        using var allowed = await _api.GetAsync("admin/item", _authority.Mint(p => p["scope"] = "write:messages"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task RequirePermission_PermissionInArray_Returns200()
    {
        using var response = await _api.GetAsync("permission", _authority.Mint(p => { p.Remove("scope"); p["permissions"] = new[] { "write:messages", "read:messages" }; }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RequirePermission_OnlyScopeGranted_Returns403()
    {
        using var response = await _api.GetAsync("permission", _authority.Mint(p => { p["scope"] = "read:messages"; p["permissions"] = Array.Empty<string>(); }));
        await AssertInsufficientScope(response, "read:messages");
    }

    [Fact]
    public async Task RequirePermission_OnController_Enforced()
    {
        using var denied = await _api.GetAsync("controller/permission", _authority.Mint());
        await AssertInsufficientScope(denied, "write:messages");
        using var allowed = await _api.GetAsync("controller/permission", _authority.Mint(p => p["permissions"] = new[] { "write:messages" }));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Forbidden_RequirementOtherThanAScope_ChallengeNamesNoScope()
    {
        // A 403 from a requirement that is not a scope or permission has no scope to name: RFC 6750 §3's scope
        // attribute is left out rather than sent empty.
        using var response = await _api.GetAsync("claim", _authority.Mint(p => p["https://example.com/role"] = "user"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", error_description=\"insufficient scope\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("insufficient_scope", body.GetProperty("error").GetString());
        Assert.Equal("insufficient scope", body.GetProperty("error_description").GetString());
        using var allowed = await _api.GetAsync("claim", _authority.Mint(p => p["https://example.com/role"] = "admin"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Theory]
    [InlineData("scoped")]
    [InlineData("permission")]
    [InlineData("controller/scoped")]
    [InlineData("admin/item")]
    public async Task ProtectedEndpoint_NoToken_Returns401BareChallenge(string path)
    {
        using var response = await _api.GetAsync(path, null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("unauthorized", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PublicEndpoint_InvalidToken_StillReturns200()
    {
        // Authentication runs, but only endpoints that require authorization challenge.
        using var response = await _api.GetAsync("public", "not-a-token");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OtherScheme_Basic_Returns401BareChallenge()
    {
        using var client = _api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "private");
        request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer a b")]
    [Trait("Rule", "R14.2")]
    public async Task Request_MalformedBearerHeader_Returns400InvalidRequest(string header)
    {
        using var client = _api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "private");
        request.Headers.TryAddWithoutValidation("Authorization", header);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_request\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("invalid_request", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task BearerScheme_CaseInsensitive_Accepted()
    {
        using var client = _api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "private");
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + _authority.Mint());
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task AssertInsufficientScope(HttpResponseMessage response, string scope)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            $"Bearer error=\"insufficient_scope\", error_description=\"insufficient scope\", scope=\"{scope}\"",
            Assert.Single(response.Headers.WwwAuthenticate).ToString());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("insufficient_scope", body.GetProperty("error").GetString());
        Assert.Contains(scope, body.GetProperty("error_description").GetString());
    }
}
