namespace Latchkey.Server.Operations;

/// <summary>Counts each Management API answer by method, route template (bounded, unlike the path) and status.</summary>
internal static class ManagementRequestMetrics
{
    public const string PathPrefix = "/api/v2";

    public static void Use(WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<LatchkeyMetrics>();
        app.UseWhen(http => http.Request.Path.StartsWithSegments(PathPrefix), branch => branch.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            finally
            {
                var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                metrics.ManagementRequest(MethodTag(http.Request.Method), route, http.Response.StatusCode);
            }
        }));
    }

    /// <summary>OpenTelemetry's convention: known methods as themselves, anything else as <c>_OTHER</c>.</summary>
    private static string MethodTag(string method) =>
        HttpMethods.IsGet(method) ? HttpMethods.Get
        : HttpMethods.IsPost(method) ? HttpMethods.Post
        : HttpMethods.IsPut(method) ? HttpMethods.Put
        : HttpMethods.IsPatch(method) ? HttpMethods.Patch
        : HttpMethods.IsDelete(method) ? HttpMethods.Delete
        : "_OTHER";
}
