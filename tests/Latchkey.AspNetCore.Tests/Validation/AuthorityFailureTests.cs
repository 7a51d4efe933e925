using System.Net;
using System.Net.Sockets;
using Latchkey.AspNetCore.Tests.Infrastructure;

namespace Latchkey.AspNetCore.Tests.Validation;

/// <summary>When the authority cannot be reached, requests get a 401 (never a 500) and the authority is not hammered.</summary>
public sealed class AuthorityFailureTests
{
    [Fact]
    public async Task AuthorityUnreachable_ValidLookingToken_Returns401SigningKeysUnavailable()
    {
        await using var authority = await TestAuthority.StartAsync();
        var token = authority.Mint();
        var issuer = authority.Issuer;
        await authority.DisposeAsync();

        await using var api = await ProtectedApi.StartAsync(new DeadAuthority(issuer, authority));
        using var response = await api.GetAsync("private", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error_description=\"signing keys unavailable\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Validation_AuthorityServesWrongIssuer_Returns401()
    {
        await using var authority = await TestAuthority.StartAsync();
        // The API is configured with localhost while the authority's discovery names 127.0.0.1: a mix-up, refused.
        var misnamed = authority.Issuer.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        await using var api = await ProtectedApi.StartAsync(authority, o => o.Authority = misnamed);
        using var response = await api.GetAsync("private", authority.Mint(p => p["iss"] = misnamed));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("signing keys unavailable", response.Headers.WwwAuthenticate.ToString());
    }

    /// <summary>Passes a stopped authority's issuer to <see cref="ProtectedApi"/> (which reads Issuer and Clock).</summary>
    private sealed class DeadAuthority(string issuer, TestAuthority stopped) : IAuthorityInfo
    {
        public string Issuer => issuer;

        public Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => stopped.Clock;
    }
}
