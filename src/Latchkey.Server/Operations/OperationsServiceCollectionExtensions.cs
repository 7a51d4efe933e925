using Latchkey.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Operations;

/// <summary>What an operator runs the server with: health probes, metrics and traces, rate limits.</summary>
internal static class OperationsServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyOperations(this IServiceCollection services, IConfiguration configuration) =>
        services.AddLatchkeyHealth()
            .AddLatchkeyTelemetry(configuration)
            .AddLatchkeyRateLimits()
            .AddExceptionHandler<DatabaseUnavailableHandler>();

    /// <summary>Middleware that must run before CORS and authentication.</summary>
    public static WebApplication UseLatchkeyOperations(this WebApplication app)
    {
        // A database outage answers 503 with Retry-After; any other exception keeps the default (500, no body).
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = _ => StatusCodes.Status500InternalServerError, ExceptionHandlingPath = null, ExceptionHandler = _ => Task.CompletedTask });
        TelemetryServiceCollectionExtensions.UsePrometheusEndpoint(app, app.Services.GetRequiredService<IOptions<LatchkeyOptions>>().Value.Telemetry.Prometheus);
        ManagementRequestMetrics.Use(app);
        return app;
    }

    public static WebApplication MapLatchkeyOperations(this WebApplication app)
    {
        HealthEndpoints.Map(app);
        return app;
    }
}
