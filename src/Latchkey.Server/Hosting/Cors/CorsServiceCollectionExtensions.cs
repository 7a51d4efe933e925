using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Latchkey.Server.Hosting.Cors;

/// <summary>
/// CORS for both surfaces, from the Applications' registered origins (<see cref="ClientOrigins"/>). The middleware runs
/// in the host before authentication, because OpenIddict answers <c>/oauth/token</c> inside the authentication middleware
/// (docs/reference/openiddict.md §9).
/// </summary>
internal static class CorsServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyCors(this IServiceCollection services)
    {
        services.AddSingleton<ClientOrigins>();
        services.AddCors();
        services.Replace(ServiceDescriptor.Singleton<ICorsPolicyProvider, ClientCorsPolicyProvider>());
        return services;
    }
}
