namespace Latchkey.Server.Management;

/// <summary>
/// A Management API error as a typed result: Auth0's body (<see cref="ManagementError"/>), <c>Cache-Control:
/// no-store</c>, and the RFC 6750 §3 <c>WWW-Authenticate</c> challenge on 401 and 403. Build one through
/// <see cref="ManagementErrors"/>, never by hand, so texts and error codes stay in one place.
/// </summary>
internal sealed class ManagementProblem : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ManagementError>, IContentTypeHttpResult
{
    internal ManagementProblem(ManagementError error, string? challenge = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        Error = error;
        Challenge = challenge;
        Headers = headers ?? new Dictionary<string, string>();
    }

    public ManagementError Error { get; }

    /// <summary>The <c>WWW-Authenticate</c> value, or null.</summary>
    public string? Challenge { get; }

    /// <summary>Extra response headers (<c>Allow</c> on 405, <c>Retry-After</c> on 429).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public int? StatusCode => Error.StatusCode;

    public ManagementError Value => Error;

    object? IValueHttpResult.Value => Error;

    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        if (Challenge is not null)
        {
            response.Headers.WWWAuthenticate = Challenge;
        }

        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        response.Headers.CacheControl = "no-store";
        response.StatusCode = Error.StatusCode;
        return response.WriteAsJsonAsync(Error, ManagementJson.Options, ContentType, httpContext.RequestAborted);
    }
}
