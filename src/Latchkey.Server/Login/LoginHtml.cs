using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Latchkey.Server.Sessions;
using Latchkey.Server.Users;

namespace Latchkey.Server.Login;

/// <summary>
/// The login and sign-up pages as plain HTML (no script): labelled fields, browser autofill hints, an
/// <c>aria-live</c> error region, and one small stylesheet served by this server.
/// </summary>
internal static class LoginHtml
{
    public const string StylesheetPath = PageShell.StylesheetPath;

    /// <summary>The password-reset request page (<c>Accounts/AccountPages</c>).</summary>
    public const string ForgotPasswordPath = "/forgot-password";

    public static string Render(LoginPage page)
    {
        var e = HtmlEncoder.Default;
        var action = page.IsSignUp ? "Sign up" : "Log in";
        var heading = page.ApplicationName is { } app ? $"{action} to {app}" : action;
        var lead = page.IsSignUp ? "Create your account to continue." : "Enter your email and password to continue.";
        var returnQuery = "?returnUrl=" + Uri.EscapeDataString(page.ReturnUrl);
        var hasError = page.Error is not null;

        var html = new StringBuilder(4096);
        PageShell.Open(html, heading);
        html.Append(CultureInfo.InvariantCulture, $$"""
              <h1 id="title">{{e.Encode(heading)}}</h1>
              <p class="lead">{{lead}}</p>

            """);

        if (page.SignedInAs is { } current)
        {
            html.Append(CultureInfo.InvariantCulture, $"""  <p class="notice">You are logged in as <strong>{e.Encode(current)}</strong>. Log in again to switch accounts.</p>""").Append('\n');
        }

        // Always present so screen readers announce the message when the page comes back with one.
        html.Append(CultureInfo.InvariantCulture, $"""  <div id="form-error" class="alert" role="alert" aria-live="assertive"{(hasError ? string.Empty : " hidden")}>{e.Encode(page.Error ?? string.Empty)}</div>""").Append('\n');

        var emailInvalid = hasError && page.ErrorField is null or "email";
        var passwordInvalid = hasError && page.ErrorField is null or "password";

        // The cursor goes where the user has to type next: the email when it is missing or wrong, else the password.
        var focusEmail = string.IsNullOrEmpty(page.Email) || page.ErrorField == "email";
        html.Append(CultureInfo.InvariantCulture, $$"""
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

        if (page.IsSignUp)
        {
            html.Append(CultureInfo.InvariantCulture, $"""  <p class="switch">Already have an account? <a href="{SessionDefaults.LoginPath}{e.Encode(returnQuery)}">Log in</a></p>""");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"""  <p class="switch"><a href="{ForgotPasswordPath}{e.Encode(returnQuery)}">Forgot password?</a></p>""").Append('\n');
            if (page.SignUpAllowed)
            {
                html.Append(CultureInfo.InvariantCulture, $"""  <p class="switch">Don't have an account? <a href="/signup{e.Encode(returnQuery)}">Sign up</a></p>""");
            }
        }
        return PageShell.Close(html).ToString();
    }

    /// <summary>A page with only a message, for errors that have no form to go back to.</summary>
    public static string Message(string title, string message, string? linkHref = null, string? linkText = null)
    {
        var e = HtmlEncoder.Default;
        var link = linkHref is null ? string.Empty : $"""<p class="switch"><a href="{e.Encode(linkHref)}">{e.Encode(linkText ?? linkHref)}</a></p>""";
        var html = PageShell.Open(new StringBuilder(1024), title).Append(CultureInfo.InvariantCulture, $$"""
              <h1 id="title">{{e.Encode(title)}}</h1>
              <div class="alert" role="alert" aria-live="assertive">{{e.Encode(message)}}</div>
              {{link}}
            """);
        return PageShell.Close(html).ToString();
    }

    private static string AriaDescribedBy(bool isSignUp, bool invalid)
    {
        var ids = string.Join(' ', new[] { isSignUp ? "password-hint" : null, invalid ? "form-error" : null }.Where(i => i is not null));
        return (invalid ? " aria-invalid=\"true\"" : string.Empty) + (ids.Length > 0 ? $" aria-describedby=\"{ids}\"" : string.Empty);
    }
}
