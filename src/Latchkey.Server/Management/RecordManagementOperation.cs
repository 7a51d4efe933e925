using System.Text.Json.Nodes;
using Latchkey.Server.Logs;
using Microsoft.AspNetCore.Http.Metadata;

namespace Latchkey.Server.Management;

/// <summary>
/// The tenant log of the Management API, as one endpoint filter on the <c>/api/v2</c> group: every write
/// (<c>POST</c>, <c>PATCH</c>, <c>PUT</c>, <c>DELETE</c>) that reached its endpoint is recorded as Auth0's <c>sapi</c>
/// (answered below 400) or <c>fapi</c>, described by the operation's summary, with the caller and the status in
/// <c>details</c>. Bodies are not recorded: a request or answer may hold a password or a client secret. Refusals before
/// the endpoint (no token: 401; missing scope: 403) are not API operations and are not recorded.
/// </summary>
internal sealed class RecordManagementOperation(TenantLog log)
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (!log.Enabled || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method))
        {
            return await next(context);
        }

        var status = StatusCodes.Status500InternalServerError;
        try
        {
            var result = await next(context);
            status = StatusOf(result);
            return result;
        }
        finally
        {
            log.Write(EntryFor(http, status));
        }
    }

    private static LogEntry EntryFor(HttpContext http, int status)
    {
        var caller = ManagementCaller.From(http.User);
        var summary = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary;
        var details = new JsonObject
        {
            ["request"] = new JsonObject
            {
                ["method"] = http.Request.Method.ToLowerInvariant(),
                ["path"] = http.Request.Path.Value,
                ["auth"] = new JsonObject
                {
                    ["subject"] = caller.Subject,
                    ["strategy"] = "jwt",
                    ["credentials"] = new JsonObject { ["scopes"] = new JsonArray([.. caller.Scopes.Order(StringComparer.Ordinal).Select(s => JsonValue.Create(s))]) },
                },
            },
            ["response"] = new JsonObject { ["statusCode"] = status },
        };
        return LogEntry.For(http, status < StatusCodes.Status400BadRequest ? LogEventTypes.SuccessApiOperation : LogEventTypes.FailedApiOperation) with
        {
            ClientId = caller.ClientId,
            UserId = caller.IsClient ? null : caller.Subject,
            Description = summary,
            Details = details,
        };
    }

    /// <summary>The status a typed result will answer with (a <c>Results&lt;…&gt;</c> union wraps the one chosen).</summary>
    private static int StatusOf(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
    }
}
