using Scalar.AspNetCore;

namespace Latchkey.Server.Management;

/// <summary>
/// The public documentation of the Management API: the OpenAPI document (<c>/api/v2/openapi.json</c>) and Scalar's
/// API reference (<c>/api/v2/docs</c>). Scalar's script is served from the Scalar.AspNetCore package itself
/// (<c>/api/v2/docs/scalar.js</c>), never from a CDN; its web fonts, telemetry, AI agent and MCP links are off, so
/// the page talks to this server only, under a CSP that allows its own scripts by per-request nonce.
/// </summary>
internal static class ManagementDocs
{
    public const string DocsPath = "/docs";

    public static void MapManagementDocs(this RouteGroupBuilder api)
    {
        api.MapOpenApi(ManagementOpenApi.DocumentPath).AllowAnonymous();
        api.MapScalarApiReference(DocsPath, options => options
                .WithTitle("Latchkey Management API")
                .WithOpenApiRoutePattern(ManagementServiceCollectionExtensions.PathPrefix + ManagementOpenApi.DocumentPath)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .WithNonce())
            .AllowAnonymous()
            .AddEndpointFilter(AddSecurityHeaders);
    }

    private static async ValueTask<object?> AddSecurityHeaders(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        var nonce = http.Items[ScalarOptions.NonceHttpContextItemKey] as string;
        var headers = http.Response.Headers;
        // Scalar renders with inline style attributes (Vue), hence 'unsafe-inline' for styles only; scripts need the nonce.
        headers.ContentSecurityPolicy = "default-src 'none'; "
            + $"script-src 'self'{(nonce is null ? string.Empty : $" 'nonce-{nonce}'")}; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return result;
    }
}
