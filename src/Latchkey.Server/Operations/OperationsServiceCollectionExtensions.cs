namespace Latchkey.Server.Operations;

/// <summary>What an operator runs the server with: health probes (and, as they land, metrics and rate limits).</summary>
internal static class OperationsServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyOperations(this IServiceCollection services) =>
        services.AddLatchkeyHealth();

    public static WebApplication MapLatchkeyOperations(this WebApplication app)
    {
        HealthEndpoints.Map(app);
        return app;
    }
}
