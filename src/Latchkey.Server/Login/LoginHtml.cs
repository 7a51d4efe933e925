using System.Text;
using System.Text.Encodings.Web;

namespace Latchkey.Server.Login;

/// <summary>
/// The login and sign-up pages as plain HTML (no script): labelled fields, browser autofill hints, an
/// <c>aria-live</c> error region, and one small stylesheet served by this server.
/// </summary>
internal static class LoginHtml
{
    public const string StylesheetPath = "/login/assets/login.css";

    public static string Render(LoginPage page)
    {
        var e = HtmlEncoder.Default;
        var action = page.IsSignUp ? "Sign up" : "Log in";
        var heading = page.ApplicationName is { } app ? $"{action} to {app}" : action;
        var lead = page.IsSignUp ? "Create your account to continue." : "Enter your email and password to continue.";
        var returnQuery = "?returnUrl=" + Uri.EscapeDataString(page.ReturnUrl);
        var hasError = page.Error is not null;

        var html = new StringBuilder(4096);
        html.Append($$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex, nofollow">
            <meta name="referrer" content="no-referrer">
            <title>{{e.Encode(heading)}} · Latchkey</title>
            <link rel="stylesheet" href="{{StylesheetPath}}">
            </head>
            <body>
            <main class="card" aria-labelledby="title">
              <div class="brand" aria-hidden="true">
                <svg viewBox="0 0 24 24" width="28" height="28" focusable="false"><rect x="4" y="10" width="16" height="11" rx="2.5"/><path d="M8 10V7a4 4 0 0 1 8 0v3" fill="none" stroke-width="2"/><circle cx="12" cy="15.5" r="1.6" class="hole"/></svg>
                <span>Latchkey</span>
              </div>
              <h1 id="title">{{e.Encode(heading)}}</h1>
              <p class="lead">{{lead}}</p>

            """);

        if (page.SignedInAs is { } current)
        {
            html.Append($"""  <p class="notice">You are logged in as <strong>{e.Encode(current)}</strong>. Log in again to switch accounts.</p>""").Append('\n');
        }

        // Always present so screen readers announce the message when the page comes back with one.
        html.Append($"""  <div id="form-error" class="alert" role="alert" aria-live="assertive"{(hasError ? string.Empty : " hidden")}>{e.Encode(page.Error ?? string.Empty)}</div>""").Append('\n');

        var emailInvalid = hasError && page.ErrorField is null or "email";
        var passwordInvalid = hasError && page.ErrorField is null or "password";

        // The cursor goes where the user has to type next: the email when it is missing or wrong, else the password.
        var focusEmail = string.IsNullOrEmpty(page.Email) || page.ErrorField == "email";
        html.Append($$"""
              <form method="post" action="{{(page.IsSignUp ? "/signup" : SessionDefaults.LoginPath)}}">
                <input type="hidden" name="{{e.Encode(page.AntiforgeryFieldName)}}" value="{{e.Encode(page.AntiforgeryToken)}}">
                <input type="hidden" name="returnUrl" value="{{e.Encode(page.ReturnUrl)}}">
                <div class="field">
                  <label for="email">Email</label>
                  <input id="email" name="email" type="email" inputmode="email" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="{{EmailAddress.MaxLength}}" value="{{e.Encode(page.Email ?? string.Empty)}}"{{(focusEmail ? " autofocus" : string.Empty)}}{{(emailInvalid ? " aria-invalid=\"true\" aria-describedby=\"form-error\"" : string.Empty)}}>
                </div>
                <div class="field">
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" autocomplete="{{(page.IsSignUp ? "new-password" : "current-password")}}" required maxlength="{{PasswordPolicy.MaxLength}}"{{(page.IsSignUp ? $" minlength=\"{PasswordPolicy.MinLength}\"" : string.Empty)}}{{(focusEmail ? string.Empty : " autofocus")}}{{AriaDescribedBy(page.IsSignUp, passwordInvalid)}}>
            {{(page.IsSignUp ? $"      <p id=\"password-hint\" class=\"hint\">At least {PasswordPolicy.MinLength} characters. Not your email, not a common password.</p>\n" : string.Empty)}}    </div>
                <button type="submit" class="primary">{{(page.IsSignUp ? "Create account" : "Continue")}}</button>
              </form>

            """);

        html.Append(page.IsSignUp
            ? $"""  <p class="switch">Already have an account? <a href="{SessionDefaults.LoginPath}{e.Encode(returnQuery)}">Log in</a></p>"""
            : $"""  <p class="switch">Don't have an account? <a href="/signup{e.Encode(returnQuery)}">Sign up</a></p>""");
        html.Append("""

            </main>
            <footer class="footer">Secured by Latchkey</footer>
            </body>
            </html>

            """);
        return html.ToString();
    }

    /// <summary>A page with only a message, for errors that have no form to go back to.</summary>
    public static string Message(string title, string message, string? linkHref = null, string? linkText = null)
    {
        var e = HtmlEncoder.Default;
        var link = linkHref is null ? string.Empty : $"""<p class="switch"><a href="{e.Encode(linkHref)}">{e.Encode(linkText ?? linkHref)}</a></p>""";
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex, nofollow">
            <title>{{e.Encode(title)}} · Latchkey</title>
            <link rel="stylesheet" href="{{StylesheetPath}}">
            </head>
            <body>
            <main class="card" aria-labelledby="title">
              <h1 id="title">{{e.Encode(title)}}</h1>
              <div class="alert" role="alert" aria-live="assertive">{{e.Encode(message)}}</div>
              {{link}}
            </main>
            </body>
            </html>

            """;
    }

    private static string AriaDescribedBy(bool isSignUp, bool invalid)
    {
        var ids = string.Join(' ', new[] { isSignUp ? "password-hint" : null, invalid ? "form-error" : null }.Where(i => i is not null));
        return (invalid ? " aria-invalid=\"true\"" : string.Empty) + (ids.Length > 0 ? $" aria-describedby=\"{ids}\"" : string.Empty);
    }
}
