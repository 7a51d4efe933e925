using System.Text.Json;
using Latchkey.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OpenIddict.Abstractions;

namespace Latchkey.Server.Protocol.Requests;

/// <summary>
/// Reads an OAuth request from a query, a form or a JSON body, defensively: bounded sizes, no repeated parameters
/// (RFC 6749 §3.1), no NUL bytes, only flat JSON objects parsed by <see cref="StrictJson"/>, no bearer token in the
/// query string. Every endpoint that accepts a form reads it here (authorize, both logouts, token, revoke, userinfo).
/// Every failure is a description for an <c>invalid_request</c>, never an exception.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>Far above any legitimate request (refresh tokens are a few kilobytes).</summary>
    internal const int MaxBodyBytes = 64 * 1024;

    /// <summary>An OAuth request is a flat object; one level of nesting is reported as a wrong type, more is refused.</summary>
    private const int MaxJsonDepth = 2;

    private static readonly FormOptions Limits = new()
    {
        ValueCountLimit = 64,
        KeyLengthLimit = 256,
        ValueLengthLimit = MaxBodyBytes,
        BufferBody = false,
    };

    /// <summary>Parameters that RFC 8707 allows to repeat.</summary>
    private static readonly HashSet<string> Repeatable = new(StringComparer.Ordinal) { OpenIddictConstants.Parameters.Resource };

    /// <param name="request">The HTTP request.</param>
    /// <param name="allowJson">Whether <c>application/json</c> is accepted besides a form.</param>
    /// <param name="keepRepeated">
    /// Keep repeated parameters as several values instead of refusing them, for an endpoint whose own validation refuses
    /// them later, once it knows where to send the error (see <see cref="ExtractQueryOrFormRequest{TContext}"/>).
    /// </param>
    /// <param name="cancellationToken">Aborts the read.</param>
    public static async ValueTask<(OpenIddictRequest? Request, string? Error)> ReadAsync(HttpRequest request, bool allowJson, bool keepRepeated, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, "The request body is too large.");
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType))
        {
            return (null, "The 'Content-Type' header is missing or invalid.");
        }

        if (contentType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadFormAsync(request, keepRepeated, cancellationToken);
        }

        if (allowJson && contentType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadJsonAsync(request, cancellationToken);
        }

        return (null, allowJson
            ? "The 'Content-Type' header must be 'application/x-www-form-urlencoded' or 'application/json'."
            : "The 'Content-Type' header must be 'application/x-www-form-urlencoded'.");
    }

    public static (OpenIddictRequest? Request, string? Error) FromQuery(IQueryCollection query, bool keepRepeated) =>
        Build(query.Select(pair => new KeyValuePair<string, StringValues>(pair.Key, pair.Value)), keepRepeated);

    private static async ValueTask<(OpenIddictRequest?, string?)> ReadFormAsync(HttpRequest request, bool keepRepeated, CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(Limits, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return (null, "The request body is malformed or exceeds the allowed size.");
        }
        catch (BadHttpRequestException)
        {
            return (null, "The request body is malformed or exceeds the allowed size.");
        }

        return Build(form.Select(pair => new KeyValuePair<string, StringValues>(pair.Key, pair.Value)), keepRepeated);
    }

    private static async ValueTask<(OpenIddictRequest?, string?)> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await ReadBoundedAsync(request.Body, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return (null, "The request body is too large.");
        }
        catch (BadHttpRequestException)
        {
            return (null, "The request body is malformed or exceeds the allowed size.");
        }

        var parameters = new List<KeyValuePair<string, StringValues>>();
        try
        {
            using var document = StrictJson.Parse(body, MaxJsonDepth);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "The JSON body must be an object.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                // Auth0's SDKs send flat objects of strings; anything nested is not an OAuth parameter.
                string? value = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                    JsonValueKind.Null => null,
                    _ => null,
                };
                if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                {
                    return (null, $"The '{Sanitize(property.Name)}' parameter must be a string.");
                }

                if (value is not null)
                {
                    parameters.Add(new(property.Name, value));
                }
            }
        }
        catch (JsonException ex)
        {
            return (null, $"The JSON body is invalid: {Sanitize(ex.Message, 200)}.");
        }

        return Build(parameters, keepRepeated: false);
    }

    private static (OpenIddictRequest?, string?) Build(IEnumerable<KeyValuePair<string, StringValues>> parameters, bool keepRepeated)
    {
        var seen = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var (name, values) in parameters)
        {
            if ((values.Count > 1 || seen.ContainsKey(name)) && !keepRepeated && !Repeatable.Contains(name))
            {
                return (null, $"The '{Sanitize(name)}' parameter must not be repeated.");
            }

            foreach (var value in values)
            {
                if (value is not null && value.Contains('\0', StringComparison.Ordinal))
                {
                    return (null, $"The '{Sanitize(name)}' parameter contains a NUL character.");
                }
            }

            seen[name] = seen.TryGetValue(name, out var existing) ? StringValues.Concat(existing, values) : values;
        }

        return (new OpenIddictRequest(seen), null);
    }

    /// <summary>The body, or <see cref="InvalidDataException"/> past <see cref="MaxBodyBytes"/> (also read by <c>Accounts/DbConnectionsEndpoints</c>).</summary>
    internal static async Task<byte[]> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new InvalidDataException();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Text from the request is echoed in error descriptions, which OpenIddict also puts in <c>WWW-Authenticate</c> (at
    /// <c>/userinfo</c>); a header value may hold only printable ASCII (RFC 6750 §3: error_description is %x20-21 /
    /// %x23-5B / %x5D-7E), so anything else becomes <c>?</c> — Kestrel would otherwise refuse the header with a 500.
    /// </summary>
    private static string Sanitize(string text, int max = 40) =>
        new(text.Take(max).Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?').ToArray());
}
