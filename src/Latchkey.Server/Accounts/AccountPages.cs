using System.Text;
using Latchkey.Server.AttackProtection;
using Latchkey.Server.Email;
using Latchkey.Server.Login;
using Latchkey.Server.Logs;
using Latchkey.Server.Operations;
using Latchkey.Server.Persistence;
using Latchkey.Server.Sessions;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Accounts;

/// <summary>
/// The pages behind the account mails: <c>GET /u/email-verification</c> (the link verifies, as Auth0's does),
/// <c>GET/POST /forgot-password</c> (always the same answer, whether or not the address has an account) and
/// <c>GET/POST /u/reset-password</c> (the link opens a form; the POST, with its antiforgery token, sets the password,
/// ends the user's sessions, revokes their refresh tokens and lifts brute-force blocks). Headers and CSP as the login page.
/// </summary>
internal static class AccountPages
{
    private const string InvalidLinkTitle = "This link does not work";
    private const string InvalidLink = "This link is invalid, has expired or was already used. Ask for a new one.";

    // Auth0's texts for the redirect to a ticket's result_url (message, success, code).
    private const string VerifiedMessage = "Your email was verified. You can continue using the application.";
    private const string PasswordChangedMessage = "Your password has been changed successfully.";

    public static void Map(WebApplication app)
    {
        app.MapGet(AccountTickets.VerifyEmailPath, VerifyEmailAsync);
        app.MapGet(LoginHtml.ForgotPasswordPath, ShowForgotPassword);
        app.MapPost(LoginHtml.ForgotPasswordPath, RequestResetAsync).RequireRateLimiting(RateLimitServiceCollectionExtensions.LoginPagesPolicy);
        app.MapGet(AccountTickets.ResetPasswordPath, ShowChoosePasswordAsync);
        app.MapPost(AccountTickets.ResetPasswordPath, ResetAsync).RequireRateLimiting(RateLimitServiceCollectionExtensions.LoginPagesPolicy);
    }

    private static async Task<IResult> VerifyEmailAsync(HttpContext http, AccountTickets tickets, LatchkeyDbContext db, TenantCache tenants, TenantLog log, TimeProvider time)
    {
        var token = http.Request.Query["ticket"].ToString();
        var ticket = await tickets.FindUsableAsync(token, AccountTicketPurposes.VerifyEmail, http.RequestAborted);
        var user = ticket is null ? null : await db.Set<User>().FirstOrDefaultAsync(u => u.UserId == ticket.UserId, http.RequestAborted);
        if (ticket is null || user is null || !await tickets.TryUseAsync(token, AccountTicketPurposes.VerifyEmail, http.RequestAborted))
        {
            log.Write(LogEntry.For(http, LogEventTypes.FailedVerificationEmail) with { Description = "Invalid, expired or used verification link", UserId = ticket?.UserId, ClientId = ticket?.ClientId });
            return Page(http, AccountHtml.Outcome(InvalidLinkTitle, InvalidLink, success: false, SessionDefaults.LoginPath, "Go to log in"), StatusCodes.Status400BadRequest);
        }

        user.EmailVerified = true;
        user.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(http.RequestAborted);
        log.Write(LogEntry.For(http, LogEventTypes.SuccessVerificationEmail) with { UserId = user.UserId, UserName = user.Email, ClientId = ticket.ClientId });

        if (ticket.ResultUrl is { } resultUrl)
        {
            return Redirect(http, ResultRedirect(resultUrl, VerifiedMessage, ticket.IncludeEmailInRedirect ? user.Email : null));
        }

        var (href, text) = await WayBackAsync(ticket.ClientId, tenants, http.RequestAborted);
        return Page(http, AccountHtml.Outcome("Email verified", VerifiedMessage, success: true, href, text), StatusCodes.Status200OK);
    }

    private static IResult ShowForgotPassword(HttpContext http, IAntiforgery antiforgery)
    {
        var returnUrl = ReturnUrl.OrDefault(http.Request.Query[SessionDefaults.ReturnUrlParameter]);
        var tokens = antiforgery.GetAndStoreTokens(http);
        return Page(http, AccountHtml.ForgotPassword(tokens.FormFieldName, tokens.RequestToken!, returnUrl, http.Request.Query["email"].ToString() is { Length: <= EmailAddress.MaxLength } e ? e : null, error: null), StatusCodes.Status200OK);
    }

    private static async Task<IResult> RequestResetAsync(HttpContext http, IAntiforgery antiforgery, LatchkeyDbContext db, AccountMail mail, LoginThrottleService throttle, TenantLog log)
    {
        IResult Form(IFormCollection? form, string? email, string error, int status)
        {
            var tokens = antiforgery.GetAndStoreTokens(http);
            var returnUrl = ReturnUrl.OrDefault(form?[SessionDefaults.ReturnUrlParameter] ?? default);
            return Page(http, AccountHtml.ForgotPassword(tokens.FormFieldName, tokens.RequestToken!, returnUrl, email, error), status);
        }

        var (form, failure) = await LoginEndpoints.ReadFormAsync(http, antiforgery, f => Form(f, null, "This form has expired or was not sent by this page. Please try again.", StatusCodes.Status400BadRequest));
        if (failure is not null)
        {
            return failure;
        }

        var email = form!["email"].ToString().Trim();
        var returnUrl = ReturnUrl.OrDefault(form[SessionDefaults.ReturnUrlParameter]);
        if (!EmailAddress.TryNormalize(email, out _, out var normalized, out _))
        {
            return Form(form, email, "Enter a valid email address.", StatusCodes.Status400BadRequest);
        }

        if (!mail.CanSend)
        {
            return Form(form, email, MailQueue.NotConfigured, StatusCodes.Status400BadRequest);
        }

        if (!await throttle.TryCountAccountMailAsync(normalized, LoginThrottleService.KeyFor(http.Connection.RemoteIpAddress), http.RequestAborted))
        {
            log.Write(LogEntry.For(http, LogEventTypes.FailedChangePasswordRequest) with { UserName = email, Description = "Too many password reset requests" });
            return Form(form, email, "Too many password reset requests. Wait an hour and try again.", StatusCodes.Status429TooManyRequests);
        }

        await SendResetAsync(http, db, mail, log, normalized, email, clientId: null);

        // The same page whether or not the address has an account (no account enumeration).
        return Page(http, AccountHtml.Outcome(
            "Check your email",
            $"If an account exists for {email}, we have sent it a link to choose a new password.",
            success: true,
            SessionDefaults.LoginPath + "?returnUrl=" + Uri.EscapeDataString(returnUrl),
            "Back to log in"), StatusCodes.Status200OK);
    }

    /// <summary>Sends the reset mail when the address has an account, and logs the request (<c>scpr</c>/<c>fcpr</c>) either way.</summary>
    internal static async Task SendResetAsync(HttpContext http, LatchkeyDbContext db, AccountMail mail, TenantLog log, string normalizedEmail, string typedEmail, string? clientId)
    {
        var user = await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, http.RequestAborted);
        var sent = user is not null && await mail.SendPasswordResetAsync(user, clientId, http.RequestAborted);
        log.Write(LogEntry.For(http, sent ? LogEventTypes.SuccessChangePasswordRequest : LogEventTypes.FailedChangePasswordRequest) with
        {
            UserId = user?.UserId,
            UserName = user?.Email ?? typedEmail,
            ClientId = clientId,
            Description = sent ? null : user is null ? "No user with this email" : "The mail queue is full",
        });
    }

    private static async Task<IResult> ShowChoosePasswordAsync(HttpContext http, IAntiforgery antiforgery, AccountTickets tickets, LatchkeyDbContext db, TenantCache tenants)
    {
        var token = http.Request.Query["ticket"].ToString();
        var ticket = await tickets.FindUsableAsync(token, AccountTicketPurposes.ResetPassword, http.RequestAborted);
        var email = ticket is null ? null : await db.Set<User>().Where(u => u.UserId == ticket.UserId).Select(u => u.Email).FirstOrDefaultAsync(http.RequestAborted);
        if (email is null)
        {
            return Page(http, AccountHtml.Outcome(InvalidLinkTitle, InvalidLink, success: false, LoginHtml.ForgotPasswordPath, "Ask for a new link"), StatusCodes.Status400BadRequest);
        }

        var tokens = antiforgery.GetAndStoreTokens(http);
        var requirements = (await tenants.GetAsync(http.RequestAborted)).Connection.PasswordRequirements;
        return Page(http, AccountHtml.ChoosePassword(tokens.FormFieldName, tokens.RequestToken!, token, email, requirements, error: null), StatusCodes.Status200OK);
    }

    private static async Task<IResult> ResetAsync(
        HttpContext http,
        IAntiforgery antiforgery,
        AccountTickets tickets,
        LatchkeyDbContext db,
        IPasswordHasher<User> hasher,
        TenantCache tenants,
        LoginThrottleService throttle,
        SignOutEverywhere signOut,
        TenantLog log,
        TimeProvider time)
    {
        var requirements = (await tenants.GetAsync(http.RequestAborted)).Connection.PasswordRequirements;
        IResult Invalid() => Page(http, AccountHtml.Outcome(InvalidLinkTitle, InvalidLink, success: false, LoginHtml.ForgotPasswordPath, "Ask for a new link"), StatusCodes.Status400BadRequest);
        IResult Form(string token, string email, string error)
        {
            var tokens = antiforgery.GetAndStoreTokens(http);
            return Page(http, AccountHtml.ChoosePassword(tokens.FormFieldName, tokens.RequestToken!, token, email, requirements, error), StatusCodes.Status400BadRequest);
        }

        var (form, failure) = await LoginEndpoints.ReadFormAsync(http, antiforgery, f => Page(http, AccountHtml.Outcome(
            "Please try again", "This form has expired or was not sent by this page. Open the link from the email again.", success: false, null, null), StatusCodes.Status400BadRequest));
        if (failure is not null)
        {
            return failure;
        }

        var token = form!["ticket"].ToString();
        var ticket = await tickets.FindUsableAsync(token, AccountTicketPurposes.ResetPassword, http.RequestAborted);
        var user = ticket is null ? null : await db.Set<User>().FirstOrDefaultAsync(u => u.UserId == ticket.UserId, http.RequestAborted);
        if (ticket is null || user is null)
        {
            log.Write(LogEntry.For(http, LogEventTypes.FailedChangePassword) with { Description = "Invalid, expired or used password reset link" });
            return Invalid();
        }

        var password = form["password"].ToString();
        if (!string.Equals(password, form["confirm"].ToString(), StringComparison.Ordinal))
        {
            return Form(token, user.Email, "The passwords do not match.");
        }

        // The connection's policy, checked before hashing (the length cap bounds PBKDF2's input).
        if (PasswordPolicy.Check(password, user.Email, rejectCommon: true, requirements) is { } weak)
        {
            log.Write(PasswordChangeLog(http, user, ticket.ClientId, $"The password {weak}."));
            return Form(token, user.Email, $"The password {weak}.");
        }

        if (!await tickets.TryUseAsync(token, AccountTicketPurposes.ResetPassword, http.RequestAborted))
        {
            return Invalid();
        }

        user.PasswordHash = hasher.HashPassword(user, password);
        user.EmailVerified |= ticket.MarkEmailAsVerified;
        user.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(http.RequestAborted);

        // As PATCH /api/v2/users/{id} with a password: blocks lift (Auth0), whoever knew the old password is cut off (RT-8).
        await throttle.UnblockAsync(user.NormalizedEmail, http.RequestAborted);
        await signOut.RunAsync(user.UserId, http.RequestAborted);
        log.Write(PasswordChangeLog(http, user, ticket.ClientId, failure: null));

        if (ticket.ResultUrl is { } resultUrl)
        {
            return Redirect(http, ResultRedirect(resultUrl, PasswordChangedMessage, ticket.IncludeEmailInRedirect ? user.Email : null));
        }

        var (href, text) = await WayBackAsync(ticket.ClientId, tenants, http.RequestAborted);
        return Page(http, AccountHtml.Outcome("Password changed", PasswordChangedMessage + " Log in with your new password.", success: true, href ?? SessionDefaults.LoginPath, text ?? "Go to log in"), StatusCodes.Status200OK);
    }

    private static LogEntry PasswordChangeLog(HttpContext http, User user, string? clientId, string? failure) =>
        LogEntry.For(http, failure is null ? LogEventTypes.SuccessChangePassword : LogEventTypes.FailedChangePassword) with
        {
            ClientId = clientId,
            UserId = user.UserId,
            UserName = user.Email,
            Description = failure,
        };

    /// <summary>Auth0's redirect to a ticket's <c>result_url</c>: <c>success=true&amp;code=success&amp;message=…</c>, and <c>email</c> when asked.</summary>
    private static string ResultRedirect(string resultUrl, string message, string? email)
    {
        var query = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (email is not null)
        {
            query["email"] = email;
        }

        query["message"] = message;
        query["success"] = "true";
        query["code"] = "success";
        return QueryHelpers.AddQueryString(resultUrl, query);
    }

    /// <summary>The way back to the Application the mail was for: the origin of its first callback URL.</summary>
    private static async Task<(string? Href, string? Text)> WayBackAsync(string? clientId, TenantCache tenants, CancellationToken cancellationToken)
    {
        var snapshot = await tenants.GetAsync(cancellationToken);
        if (clientId is not null && snapshot.Applications.TryGetValue(clientId, out var application)
            && application.Callbacks.FirstOrDefault(c => Uri.TryCreate(c, UriKind.Absolute, out var u) && u.Scheme is "http" or "https") is { } callback)
        {
            return (new Uri(callback).GetLeftPart(UriPartial.Authority) + "/", $"Back to {application.Name}");
        }

        return (null, null);
    }

    private static IResult Page(HttpContext http, string html, int status)
    {
        LoginEndpoints.ApplyPageHeaders(http.Response);
        return Results.Text(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static IResult Redirect(HttpContext http, string location)
    {
        LoginEndpoints.ApplyPageHeaders(http.Response);
        http.Response.Headers.Location = location;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }
}
