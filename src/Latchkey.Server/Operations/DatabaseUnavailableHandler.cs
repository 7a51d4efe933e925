using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Latchkey.Server.Operations;

/// <summary>
/// A database outage (server down, restarting, unreachable, timing out) answers <c>503</c> with <c>Retry-After</c> in
/// the shape the caller's client understands, instead of a 500: an OAuth error (<c>temporarily_unavailable</c>,
/// RFC 6749 §4.1.2.1) on the protocol endpoints, Auth0's error object on <c>/api/v2</c>, plain text elsewhere.
/// Nothing was acknowledged, and the write (if any) was rolled back with its transaction, so the client may retry.
/// Any other exception falls through to the default handling (500, no body, logged).
/// </summary>
internal sealed class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    internal const int RetryAfterSeconds = 5;
    private const string Message = "The service is temporarily unavailable. Retry later.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsDatabaseUnavailable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        logger.LogWarning("Database unavailable: {Path} answered 503 ({Error}).", httpContext.Request.Path.Value, exception.GetBaseException().Message);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        var path = httpContext.Request.Path;
        if (path.StartsWithSegments(ManagementRequestMetrics.PathPrefix))
        {
            response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(response.Body, new { statusCode = 503, error = "Service Unavailable", message = Message, errorCode = "temporarily_unavailable" }, cancellationToken: cancellationToken);
        }
        else if (path.StartsWithSegments("/oauth") || path.StartsWithSegments("/userinfo"))
        {
            response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(response.Body, new { error = "temporarily_unavailable", error_description = Message }, cancellationToken: cancellationToken);
        }
        else
        {
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync(Message, cancellationToken);
        }

        return true;
    }

    internal static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException or TimeoutException or RetryLimitExceededException)
            {
                return true;
            }
        }

        return false;
    }
}
