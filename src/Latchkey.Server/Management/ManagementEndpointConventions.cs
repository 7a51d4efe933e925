using Microsoft.AspNetCore.Authorization;

namespace Latchkey.Server.Management;

/// <summary>What a Management API endpoint declares about itself.</summary>
internal static class ManagementEndpointConventions
{
    /// <summary>
    /// The endpoint accepts a token holding any one of <paramref name="scopes"/>; Auth0's 403 lists them in this order.
    /// Current-user scopes only reach the route's own <c>{id}</c> (<see cref="ManagementScopeRequirement"/>).
    /// </summary>
    public static TBuilder RequireManagementScope<TBuilder>(this TBuilder builder, params string[] scopes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (scopes.Length == 0)
        {
            throw new ArgumentException("Name at least one scope.", nameof(scopes));
        }

        var requirement = new ManagementScopeRequirement(scopes);
        return builder
            .RequireAuthorization(new AuthorizationPolicyBuilder(ManagementAuthentication.Scheme).AddRequirements(requirement).Build())
            .WithMetadata(requirement);
    }

    /// <summary>Documents an Auth0-shaped error the endpoint may answer (404 for its resource, 409…).</summary>
    public static TBuilder ProducesManagementError<TBuilder>(this TBuilder builder, params int[] statusCodes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var status in statusCodes)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ManagementError), ["application/json"]));
        }

        return builder;
    }
}
