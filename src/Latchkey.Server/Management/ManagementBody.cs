using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Latchkey.Server.Management;

/// <summary>
/// The one reader of Management API request bodies, bound as a handler parameter (<c>ManagementBody&lt;UserUpdateRequest&gt;
/// body</c>): <c>application/json</c> only (415), at most <see cref="MaxBytes"/> (413), strict JSON
/// (<see cref="StrictJson"/>: no duplicate members at any depth, no invalid UTF-8 or lone surrogates, bounded depth), then the shape of <typeparamref name="T"/> (<see cref="RequestShape"/>: unknown members,
/// wrong types, missing required members → 400 <c>invalid_body</c>). Declares the request body and these errors in
/// the OpenAPI document.
/// </summary>
internal sealed class ManagementBody<T> : IManagementInput, IEndpointParameterMetadataProvider
    where T : class
{
    /// <summary>Far above any Auth0 body (metadata is capped at 16 KB); the same bound as the token endpoint.</summary>
    public const int MaxBytes = 64 * 1024;

    private ManagementBody(T? value, IReadOnlyList<string> members, ManagementProblem? problem)
    {
        ValueOrDefault = value;
        Members = members;
        Problem = problem;
    }

    /// <summary>The body. Handlers only run with valid input, so it is never null there.</summary>
    public T Value => ValueOrDefault ?? throw new InvalidOperationException("An invalid body reached the handler.");

    /// <summary>The members the client sent, in order: a PATCH changes exactly these.</summary>
    public IReadOnlyList<string> Members { get; }

    public ManagementProblem? Problem { get; }

    private T? ValueOrDefault { get; }

    public static async ValueTask<ManagementBody<T>> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            return Invalid(ManagementErrors.UnsupportedMediaType());
        }

        if (request.ContentLength > MaxBytes)
        {
            return Invalid(ManagementErrors.PayloadTooLarge(MaxBytes));
        }

        // Kestrel enforces the limit while streaming (chunked bodies too) and throws a 413 BadHttpRequestException.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Invalid(ManagementErrors.PayloadTooLarge(MaxBytes));
        }

        if (buffer.Length > MaxBytes)
        {
            return Invalid(ManagementErrors.PayloadTooLarge(MaxBytes));
        }

        JsonNode? node;
        try
        {
            node = StrictJson.ParseNode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), ManagementJson.MaxDepth);
        }
        catch (JsonException ex)
        {
            // Auth0's text for a body that is not JSON; the strict policy's reasons (duplicates, lone surrogates, invalid
            // UTF-8, depth) are appended, since Auth0 would have accepted some of them silently.
            return Invalid(ManagementErrors.InvalidBody(ex.Message == StrictJson.NotJson
                ? "Invalid request payload JSON format"
                : $"Invalid request payload JSON format: {ex.Message}"));
        }

        var info = ManagementJson.Options.GetTypeInfo(typeof(T));
        if (RequestShape.Check(node, info) is { } problem)
        {
            return Invalid(ManagementErrors.InvalidBody(problem));
        }

        var members = node!.AsObject().Select(p => p.Key).ToList();
        try
        {
            return new((T?)node.Deserialize(info), members, null);
        }
        catch (JsonException)
        {
            // RequestShape accepted it, so this is a value the serializer still refuses (e.g. a number out of range).
            return Invalid(ManagementErrors.InvalidBody("Payload validation error: 'Invalid request payload'."));
        }
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(T)));
        foreach (var status in new[] { StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ManagementError), ["application/json"]));
        }
    }

    private static ManagementBody<T> Invalid(ManagementProblem problem) => new(null, [], problem);
}
