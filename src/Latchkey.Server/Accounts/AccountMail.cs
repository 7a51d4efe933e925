using Latchkey.Server.Email;
using Latchkey.Server.Hosting;
using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Accounts;

/// <summary>The two account messages: a verification link after sign-up, a reset link on request. Both go through <see cref="MailQueue"/>.</summary>
internal sealed class AccountMail(AccountTickets tickets, MailQueue queue, MailTemplates templates, TenantCache tenants, IOptions<LatchkeyOptions> options)
{
    private readonly EmailOptions _settings = options.Value.Email;

    /// <summary>False in production without SMTP: callers refuse with <see cref="MailQueue.NotConfigured"/>.</summary>
    public bool CanSend => queue.CanSend;

    public Task<bool> SendVerificationAsync(User user, string? clientId, CancellationToken cancellationToken) =>
        SendAsync(AccountTicketPurposes.VerifyEmail, MailTemplates.VerifyEmail, _settings.VerificationLinkLifetime, user, clientId, cancellationToken);

    public Task<bool> SendPasswordResetAsync(User user, string? clientId, CancellationToken cancellationToken) =>
        SendAsync(AccountTicketPurposes.ResetPassword, MailTemplates.ResetEmail, _settings.PasswordResetLinkLifetime, user, clientId, cancellationToken);

    /// <summary>
    /// Queues the message; false when mail cannot be sent now (not configured, or the queue is full). A reset link sent by
    /// mail also verifies the address when used: following it proves the user reads that mailbox.
    /// </summary>
    private async Task<bool> SendAsync(string purpose, string template, TimeSpan lifetime, User user, string? clientId, CancellationToken cancellationToken)
    {
        if (!queue.CanSend)
        {
            return false;
        }

        var link = await tickets.IssueAsync(purpose, user.UserId, lifetime, new TicketOptions(clientId, MarkEmailAsVerified: purpose == AccountTicketPurposes.ResetPassword), cancellationToken);
        var snapshot = await tenants.GetAsync(cancellationToken);
        var application = clientId is not null && snapshot.Applications.TryGetValue(clientId, out var app) ? app.Name : null;
        return queue.TryEnqueue(templates.Render(template, user.Email, link, application, lifetime, user.UserId, clientId));
    }
}
