using System.Reflection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Management;

/// <summary>
/// One page of <typeparamref name="TItem"/>: Auth0 answers a bare array, or with <c>include_totals=true</c> the object
/// <c>{"start","limit","length","total","&lt;collection&gt;"}</c> (<see cref="IPagedItem.Collection"/>).
/// </summary>
internal sealed class PagedResult<TItem>(PageRequest request, IReadOnlyList<TItem> items, int total)
    : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
    where TItem : IPagedItem
{
    public int? StatusCode => StatusCodes.Status200OK;

    public IReadOnlyList<TItem> Items { get; } = items;

    public int Total { get; } = total;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var json = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        if (!request.IncludeTotals)
        {
            return httpContext.Response.WriteAsJsonAsync(Items, json, httpContext.RequestAborted);
        }

        var page = new Dictionary<string, object>
        {
            ["start"] = request.Skip,
            ["limit"] = request.PerPage,
            ["length"] = Items.Count,
            ["total"] = Total,
            [TItem.Collection] = Items,
        };
        return httpContext.Response.WriteAsJsonAsync(page, json, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(List<TItem>), ["application/json"]));
        builder.Metadata.Add(new PagedResponseMetadata(typeof(TItem), TItem.Collection));
    }
}
