using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// One server with <see cref="ManagementTenant"/> for tests of the Management API surface that change nothing a
/// neighbour test reads (errors, documentation, the scope matrix with no-op bodies).
/// </summary>
public sealed class ManagementServerFixture : IAsyncLifetime
{
    private LatchkeyTestServer? _server;

    public LatchkeyTestServer Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>Alice's user id (<c>latchkey|…</c>).</summary>
    public string Alice { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _server = await LatchkeyTestServer.StartAsync(ManagementTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer);
        await using var scope = _server.Services.CreateAsyncScope();
        Alice = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>()
            .Where(u => u.Email == ManagementTenant.AliceEmail).Select(u => u.UserId).SingleAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
