namespace Latchkey.Server.Dashboard;

internal static class DashboardServiceCollectionExtensions
{
    /// <summary>The dashboard at <c>&lt;issuer&gt;dashboard</c> (docs/dashboard.md).</summary>
    public static WebApplication MapLatchkeyDashboard(this WebApplication app)
    {
        DashboardEndpoints.Map(app);
        return app;
    }
}
