using Latchkey.Server.Hosting;
using Latchkey.Server.Tenants;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Latchkey.Server.Protocol;

/// <summary>
/// Deletes code and refresh-token rows (and ad-hoc authorizations) that can no longer be used, every <c>Latchkey:Tokens:PruneInterval</c>: OpenIddict
/// never prunes on its own (docs/reference/openiddict.md §7). The cut-off is the longest refresh-token lifetime any Application allows, so a
/// redeemed refresh token is kept for as long as it could have been valid and its replay is still detected as one.
/// </summary>
internal sealed class ProtocolRowPruner(
    IServiceScopeFactory scopes,
    TenantCache tenants,
    IOptions<LatchkeyOptions> options,
    TimeProvider time,
    ILogger<ProtocolRowPruner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Tokens.PruneInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PruneAsync(await ThresholdAsync(stoppingToken), stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A failed pass (database briefly unavailable) is retried at the next tick; it must not stop the host.
                logger.LogWarning(exception, "Pruning protocol rows failed.");
            }
        }
    }

    /// <summary>Rows created before now minus the longest refresh-token lifetime of any Application.</summary>
    internal async ValueTask<DateTimeOffset> ThresholdAsync(CancellationToken cancellationToken)
    {
        var tenant = await tenants.GetAsync(cancellationToken);
        var longest = tenant.Applications.Values
            .Select(a => Math.Max(a.RefreshToken.TokenLifetime, a.RefreshToken.IdleTokenLifetime))
            .DefaultIfEmpty(0)
            .Max();
        return time.GetUtcNow() - TimeSpan.FromSeconds(longest) - TimeSpan.FromDays(1);
    }

    internal async Task<(long Tokens, long Authorizations)> PruneAsync(DateTimeOffset threshold, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, cancellationToken);
        var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, cancellationToken);
        if (tokens + authorizations > 0)
        {
            logger.LogInformation("Pruned {Tokens} token rows and {Authorizations} authorizations created before {Threshold}.", tokens, authorizations, threshold);
        }

        return (tokens, authorizations);
    }
}
