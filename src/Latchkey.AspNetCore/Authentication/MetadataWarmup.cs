using Latchkey.AspNetCore.Metadata;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.Authentication;

/// <summary>
/// Starts fetching discovery and the JWKS when the app starts, so the first request does not pay for it. Never blocks
/// or fails start-up: if the authority is down, requests retry (with a backoff) and answer 401 meanwhile.
/// </summary>
internal sealed class MetadataWarmup(IOptionsMonitor<LatchkeyBearerOptions> options, string scheme, ILogger<MetadataWarmup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var validator = options.Get(scheme).Validator;
        if (validator is not null)
        {
            _ = WarmAsync(validator.Metadata);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WarmAsync(AuthorityMetadata metadata)
    {
        try
        {
            await metadata.GetAsync();
        }
        catch (Exception ex) when (AuthorityMetadata.IsFetchFailure(ex))
        {
            logger.LogWarning(ex, "The authority's metadata could not be fetched at start; requests will retry.");
        }
    }
}
