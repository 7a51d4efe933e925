namespace Latchkey.Server.Management;

internal static class ManagementServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyManagement(this IServiceCollection services) =>
        services.AddManagementAuthentication();

    public static WebApplication MapLatchkeyManagement(this WebApplication app)
    {
        UsersApi.Map(app);
        SigningKeysApi.Map(app);
        return app;
    }
}
