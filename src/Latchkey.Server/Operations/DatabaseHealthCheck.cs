using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Latchkey.Server.Operations;

/// <summary>
/// Ready only when the database answers and its schema is the one this build expects: reading the migrations
/// history is a real round trip (opening a pooled connection is not), so a dead server or a revoked database shows
/// here at once, and a node started against an older schema (<c>--Latchkey:Database:Migrate false</c> before the
/// <c>migrate</c> step ran) stays out of the load balancer.
/// </summary>
internal sealed class DatabaseHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        IEnumerable<string> pending;
        try
        {
            pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception goes to the health-check log (the operator's), never into the response body.
            return HealthCheckResult.Unhealthy("The database is unreachable.", exception);
        }

        var missing = pending.ToList();
        return missing.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"{missing.Count} migration(s) not applied: run the migrate command.");
    }
}
