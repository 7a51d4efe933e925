using System.Security.Cryptography;
using System.Text;
using Latchkey.Server.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Latchkey.Server.Operations;

/// <summary>
/// Metrics and traces with OpenTelemetry. The instruments (<see cref="LatchkeyMetrics"/>) always exist; an SDK
/// pipeline is built only when something will read it (the Prometheus endpoint, or an OTLP endpoint), so a server
/// without either pays nothing for them.
/// </summary>
internal static class TelemetryServiceCollectionExtensions
{
    private const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddLatchkeyTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<LatchkeyMetrics>();

        var options = configuration.GetSection(LatchkeyOptions.Section).Get<LatchkeyOptions>()?.Telemetry ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        if (!options.Prometheus.Enabled && !otlp)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("latchkey"))
            .WithMetrics(metrics =>
            {
                // Npgsql publishes its own connection-pool and command metrics under the meter "Npgsql".
                metrics.AddMeter(LatchkeyMetrics.MeterName, "Npgsql")
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation();
                if (options.Prometheus.Enabled)
                {
                    metrics.AddPrometheusExporter();
                }
            });

        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddSource("Npgsql"))
                .UseOtlpExporter();
        }

        return services;
    }

    /// <summary>The scrape endpoint, first in the pipeline so neither CORS nor authentication runs for it.</summary>
    public static void UsePrometheusEndpoint(WebApplication app, PrometheusOptions options)
    {
        if (!options.Enabled)
        {
            return;
        }

        var expected = options.ScrapeToken is { Length: > 0 } token ? Encoding.UTF8.GetBytes("Bearer " + token) : null;
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: http => http.Request.Path == options.Path && (options.Port is not { } port || http.Connection.LocalPort == port),
            path: options.Path,
            configureBranchedPipeline: branch => branch.Use(async (http, next) =>
            {
                if (expected is not null && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(http.Request.Headers.Authorization.ToString()), expected))
                {
                    http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    http.Response.Headers.WWWAuthenticate = "Bearer";
                    return;
                }

                await next(http);
            }),
            optionsName: null);
    }
}
