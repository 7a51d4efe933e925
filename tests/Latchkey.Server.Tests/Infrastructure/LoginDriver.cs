using System.Net;
using System.Text.RegularExpressions;

namespace Latchkey.Server.Tests.Infrastructure;

/// <summary>
/// Drives the login pages the way a browser does, for tests of the protocol: start at an <c>/authorize?…</c> URL,
/// follow to the login page, read its antiforgery token, post the email and password, follow the redirects back
/// through <c>/authorize</c>, and return the first redirect that leaves the server (the application's callback with
/// <c>code</c>/<c>error</c>). The <see cref="HttpClient"/> must carry cookies and must not follow redirects:
/// use <c>server.CreateClient(new CookieContainer())</c>.
/// </summary>
public static partial class LoginDriver
{
    public const string AntiforgeryFieldName = "__RequestVerificationToken";
    private const int MaxHops = 12;

    /// <summary>
    /// Runs an authorization request through login and returns the final <c>Location</c> off the server.
    /// When the browser already has a session, no login page is shown and the redirect comes straight back.
    /// Throws <see cref="InvalidOperationException"/> (with the status and the start of the body) if the flow
    /// stops anywhere else, e.g. at an error page.
    /// </summary>
    public static async Task<Uri> AuthorizeAsync(LatchkeyTestServer server, HttpClient client, string authorizeUrl, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(client);
        var next = new Uri(server.BaseAddress, authorizeUrl);
        var loggedIn = false;
        for (var hop = 0; hop < MaxHops; hop++)
        {
            using var response = await client.GetAsync(next);
            if (IsRedirect(response.StatusCode))
            {
                var location = new Uri(next, response.Headers.Location!);
                if (!IsOnServer(server, location))
                {
                    return location;
                }

                next = location;
                continue;
            }

            if (response.StatusCode == HttpStatusCode.OK && next.AbsolutePath == "/login" && !loggedIn)
            {
                var html = await response.Content.ReadAsStringAsync();
                var returnUrl = HiddenField(html, "returnUrl") ?? "/";
                using var posted = await PostLoginAsync(client, ParseAntiforgeryToken(html), email, password, returnUrl);
                if (!IsRedirect(posted.StatusCode))
                {
                    throw await UnexpectedAsync("POST /login", posted);
                }

                loggedIn = true;
                next = new Uri(next, posted.Headers.Location!);
                if (!IsOnServer(server, next))
                {
                    return next;
                }

                continue;
            }

            throw await UnexpectedAsync($"GET {next.PathAndQuery}", response);
        }

        throw new InvalidOperationException($"More than {MaxHops} redirects starting at {authorizeUrl}.");
    }

    /// <summary>Opens the login page (with <paramref name="returnUrl"/>), then posts the credentials. Returns the POST's response.</summary>
    public static async Task<HttpResponseMessage> LogInAsync(HttpClient client, string email, string password, string returnUrl = "/")
    {
        ArgumentNullException.ThrowIfNull(client);
        var token = await GetAntiforgeryTokenAsync(client, "/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        return await PostLoginAsync(client, token, email, password, returnUrl);
    }

    /// <summary>Posts the login form as a browser would.</summary>
    public static Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string? antiforgeryToken, string email, string password, string returnUrl) =>
        PostFormAsync(client, "/login", antiforgeryToken, email, password, returnUrl);

    /// <summary>Posts the sign-up form as a browser would.</summary>
    public static Task<HttpResponseMessage> PostSignUpAsync(HttpClient client, string? antiforgeryToken, string email, string password, string returnUrl) =>
        PostFormAsync(client, "/signup", antiforgeryToken, email, password, returnUrl);

    /// <summary>GETs a page and returns the antiforgery token in its form (the cookie half lands in the client's jar).</summary>
    public static async Task<string> GetAntiforgeryTokenAsync(HttpClient client, string pageUrl)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri(pageUrl, UriKind.Relative));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await UnexpectedAsync($"GET {pageUrl}", response);
        }

        return ParseAntiforgeryToken(await response.Content.ReadAsStringAsync());
    }

    public static string ParseAntiforgeryToken(string html) =>
        HiddenField(html, AntiforgeryFieldName) ?? throw new InvalidOperationException("No antiforgery token in the page.");

    /// <summary>The value of a hidden input, HTML-decoded.</summary>
    public static string? HiddenField(string html, string name)
    {
        ArgumentNullException.ThrowIfNull(html);
        foreach (Match match in HiddenInput().Matches(html))
        {
            if (match.Groups["name"].Value == name)
            {
                return WebUtility.HtmlDecode(match.Groups["value"].Value);
            }
        }

        return null;
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string? antiforgeryToken, string email, string password, string returnUrl)
    {
        ArgumentNullException.ThrowIfNull(client);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("email", email),
            new("password", password),
            new("returnUrl", returnUrl),
        };
        if (antiforgeryToken is not null)
        {
            fields.Add(new(AntiforgeryFieldName, antiforgeryToken));
        }

        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.MovedPermanently or HttpStatusCode.TemporaryRedirect;

    private static bool IsOnServer(LatchkeyTestServer server, Uri location) =>
        Uri.Compare(location, server.BaseAddress, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static async Task<InvalidOperationException> UnexpectedAsync(string step, HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return new InvalidOperationException($"{step} answered {(int)response.StatusCode} {response.StatusCode}: {body[..Math.Min(body.Length, 600)]}");
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}
