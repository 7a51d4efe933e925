using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Latchkey.Server.Login;
using Latchkey.Server.Sessions;
using Latchkey.Server.Users;

namespace Latchkey.Server.Accounts;

/// <summary>
/// The account pages (forgot password, choose a new password, email verified) in the login pages' look
/// (<see cref="PageShell"/>, <c>login.css</c>): plain HTML, no script.
/// </summary>
internal static class AccountHtml
{
    public static string ForgotPassword(string antiforgeryField, string antiforgeryToken, string returnUrl, string? email, string? error)
    {
        var e = HtmlEncoder.Default;
        var html = PageShell.Open(new StringBuilder(2048), "Reset your password");
        html.Append(CultureInfo.InvariantCulture, $$"""
              <h1 id="title">Reset your password</h1>
              <p class="lead">Enter your email address and we will send you a link to choose a new password.</p>
            {{ErrorRegion(error)}}
              <form method="post" action="{{Login.LoginHtml.ForgotPasswordPath}}">
                <input type="hidden" name="{{e.Encode(antiforgeryField)}}" value="{{e.Encode(antiforgeryToken)}}">
                <input type="hidden" name="returnUrl" value="{{e.Encode(returnUrl)}}">
                <div class="field">
                  <label for="email">Email</label>
                  <input id="email" name="email" type="email" inputmode="email" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="{{EmailAddress.MaxLength}}" value="{{e.Encode(email ?? string.Empty)}}" autofocus{{(error is null ? string.Empty : " aria-invalid=\"true\" aria-describedby=\"form-error\"")}}>
                </div>
                <button type="submit" class="primary">Send reset link</button>
              </form>
              <p class="switch"><a href="{{SessionDefaults.LoginPath}}?returnUrl={{e.Encode(Uri.EscapeDataString(returnUrl))}}">Back to log in</a></p>
            """);
        return PageShell.Close(html).ToString();
    }

    public static string ChoosePassword(string antiforgeryField, string antiforgeryToken, string ticket, string email, PasswordRequirements requirements, string? error)
    {
        var e = HtmlEncoder.Default;
        var html = PageShell.Open(new StringBuilder(2048), "Choose a new password");
        html.Append(CultureInfo.InvariantCulture, $$"""
              <h1 id="title">Choose a new password</h1>
              <p class="lead">For <strong>{{e.Encode(email)}}</strong>.</p>
            {{ErrorRegion(error)}}
              <form method="post" action="{{AccountTickets.ResetPasswordPath}}">
                <input type="hidden" name="{{e.Encode(antiforgeryField)}}" value="{{e.Encode(antiforgeryToken)}}">
                <input type="hidden" name="ticket" value="{{e.Encode(ticket)}}">
                <input type="hidden" name="email" autocomplete="username" value="{{e.Encode(email)}}">
                <div class="field">
                  <label for="password">New password</label>
                  <input id="password" name="password" type="password" autocomplete="new-password" required minlength="{{requirements.MinLength}}" maxlength="{{PasswordPolicy.MaxLength}}" autofocus aria-describedby="password-hint{{(error is null ? string.Empty : " form-error")}}">
                  <p id="password-hint" class="hint">At least {{requirements.MinLength}} characters. Not your email, not a common password.</p>
                </div>
                <div class="field">
                  <label for="confirm">Confirm new password</label>
                  <input id="confirm" name="confirm" type="password" autocomplete="new-password" required maxlength="{{PasswordPolicy.MaxLength}}">
                </div>
                <button type="submit" class="primary">Set password</button>
              </form>
            """);
        return PageShell.Close(html).ToString();
    }

    /// <summary>A page that reports an outcome: a notice (success) or an alert, and one link onwards.</summary>
    public static string Outcome(string title, string message, bool success, string? linkHref, string? linkText)
    {
        var e = HtmlEncoder.Default;
        var link = linkHref is null ? string.Empty : $"""<p class="switch"><a href="{e.Encode(linkHref)}">{e.Encode(linkText ?? linkHref)}</a></p>""";
        var html = PageShell.Open(new StringBuilder(1024), title).Append(CultureInfo.InvariantCulture, $$"""
              <h1 id="title">{{e.Encode(title)}}</h1>
              <div class="{{(success ? "notice" : "alert")}}" role="{{(success ? "status" : "alert")}}">{{e.Encode(message)}}</div>
              {{link}}
            """);
        return PageShell.Close(html).ToString();
    }

    private static string ErrorRegion(string? error) =>
        string.Create(CultureInfo.InvariantCulture, $"""  <div id="form-error" class="alert" role="alert" aria-live="assertive"{(error is null ? " hidden" : string.Empty)}>{HtmlEncoder.Default.Encode(error ?? string.Empty)}</div>""");
}
