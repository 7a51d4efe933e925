using Latchkey.Server.Protocol.Keys;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Latchkey.Server.Operations;

/// <summary>Ready only when this node holds a signing key: without one it can neither sign nor verify a token.</summary>
internal sealed class SigningKeysHealthCheck(ProtocolKeyRing keys) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(keys.SigningCredentials.Count > 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("No signing key is loaded."));
}
