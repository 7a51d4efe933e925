using System.Text.Json.Serialization;
using Latchkey.Server.Management.Actions;
using Latchkey.Server.Management.ClientGrants;
using Latchkey.Server.Management.Clients;
using Latchkey.Server.Management.Connections;
using Latchkey.Server.Management.Grants;
using Latchkey.Server.Management.Jobs;
using Latchkey.Server.Management.Keys;
using Latchkey.Server.Management.Logs;
using Latchkey.Server.Management.ResourceServers;
using Latchkey.Server.Management.Roles;
using Latchkey.Server.Management.Tickets;
using Latchkey.Server.Management.Users;
using Latchkey.Server.Users.Import;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;

namespace Latchkey.Server.Management;

/// <summary>
/// The administration surface: everything under <c>/api/v2</c>. One route group owns it: bearer authentication
/// (<see cref="ManagementAuthentication"/>), a scope per endpoint (<c>RequireManagementScope</c>), the per-caller rate
/// limit, the one body reader (<see cref="ManagementBody{T}"/>), Auth0-shaped errors for every failure including
/// unknown paths, and the OpenAPI document and Scalar reference. Resources add one <c>Map&lt;Resource&gt;Api</c> line
/// here (see Management/README.md).
/// </summary>
internal static class ManagementServiceCollectionExtensions
{
    public const string PathPrefix = "/api/v2";

    public static IServiceCollection AddLatchkeyManagement(this IServiceCollection services)
    {
        services.AddManagementAuthentication();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ManagementAuthorizationResultHandler>();
        services.AddSingleton<ManagementRateLimiter>();
        services.AddSingleton<RecordManagementOperation>();
        services.AddManagementOpenApi();
        services.AddSingleton<JobSignal>();
        services.AddScoped<UserImporter>();
        services.AddHostedService<UserImportWorker>();

        // Responses are written with the host's JSON options: numbers are numbers (ASP.NET's web default also reads
        // "123" as a number, which would make every integer "integer or string" in the OpenAPI document).
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        return services;
    }

    public static WebApplication MapLatchkeyManagement(this WebApplication app)
    {
        // Unknown paths (404) and wrong methods (405) under /api/v2 answer in Auth0's JSON shape, like every other error.
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(PathPrefix),
            branch => branch.UseStatusCodePages(WriteBodylessStatusAsync));

        var api = app.MapGroup(PathPrefix).WithMetadata(ManagementEndpointMetadata.Instance);
        api.MapManagementDocs();

        var limiter = app.Services.GetRequiredService<ManagementRateLimiter>();
        var audit = app.Services.GetRequiredService<RecordManagementOperation>();
        var resources = api.MapGroup(string.Empty)
            .RequireAuthorization(new AuthorizationPolicyBuilder(ManagementAuthentication.Scheme).RequireAuthenticatedUser().Build())
            .AddEndpointFilter(audit.InvokeAsync)
            .AddEndpointFilter(limiter.InvokeAsync)
            .AddEndpointFilterFactory(RejectInvalidInput.Create)
            .ProducesManagementError(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
        ((IEndpointConventionBuilder)resources).Finally(RequireDeclaredScope);

        resources.MapUsersApi();
        resources.MapResourceServersApi();
        resources.MapClientsApi();
        resources.MapClientGrantsApi();
        resources.MapConnectionsApi();
        resources.MapGrantsApi();
        resources.MapRefreshTokensApi();
        resources.MapRolesApi();
        resources.MapUserAuthorizationApi();
        resources.MapActionsApi();
        resources.MapSigningKeysApi();
        resources.MapLogsApi();
        resources.MapTicketsApi();
        resources.MapVerificationEmailJobApi();
        resources.MapJobsApi();
        return app;
    }

    /// <summary>An endpoint that forgot its scope would be open to every Management API token: refuse to start.</summary>
    private static void RequireDeclaredScope(EndpointBuilder endpoint)
    {
        if (!endpoint.Metadata.OfType<ManagementScopeRequirement>().Any())
        {
            throw new InvalidOperationException(
                $"The Management API endpoint '{endpoint.DisplayName}' declares no scope: add .RequireManagementScope(ManagementScopes.…).");
        }
    }

    private static Task WriteBodylessStatusAsync(StatusCodeContext context) =>
        ManagementErrors.ForStatus(context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext);
}
