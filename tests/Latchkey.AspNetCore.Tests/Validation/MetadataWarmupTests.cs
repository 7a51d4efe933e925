using System.Net;
using Latchkey.AspNetCore.Tests.Infrastructure;

namespace Latchkey.AspNetCore.Tests.Validation;

public sealed class MetadataWarmupTests
{
    [Fact]
    public async Task AppStart_FetchesKeysBeforeFirstRequest_FirstRequestFetchesNothing()
    {
        await using var authority = await TestAuthority.StartAsync();
        await using var api = await ProtectedApi.StartAsync(authority);
        for (var i = 0; i < 3000 && authority.JwksFetches == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, authority.JwksFetches);
        using var response = await api.GetAsync("private", authority.Mint());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, authority.JwksFetches);
        Assert.Equal(1, authority.Hits("/.well-known/openid-configuration"));
    }
}
