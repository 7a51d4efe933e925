using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Protocol.Browser;

/// <summary>The CORS origin list follows tenant changes (TenantCache invalidation), with no restart and no stale entry.</summary>
public sealed class CorsTenantChangeTests : IAsyncLifetime
{
    private LatchkeyTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await BrowserTenant.StartAsync();
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Preflight_OriginAddedAndRemoved_FollowsTheTenant()
    {
        Assert.False(await IsAllowedAsync("https://new.test"));

        await ChangeSpaAsync(app => app.AllowedOrigins = ["https://new.test"]);
        Assert.True(await IsAllowedAsync("https://new.test"));
        Assert.False(await IsAllowedAsync(BrowserTenant.CorsOnlyOrigin));

        await ChangeSpaAsync(app => app.AllowedOrigins = []);
        Assert.False(await IsAllowedAsync("https://new.test"));
    }

    private async Task ChangeSpaAsync(Action<Application> change)
    {
        await using (var scope = _server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
            var application = await db.Set<Application>().SingleAsync(a => a.ClientId == BrowserTenant.Spa);
            change(application);
            await db.SaveChangesAsync();
        }

        _server.Services.GetRequiredService<TenantCache>().Invalidate();
    }

    private async Task<bool> IsAllowedAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/oauth/token");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,auth0-client");
        using var response = await _client.SendAsync(request);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin;
    }
}
