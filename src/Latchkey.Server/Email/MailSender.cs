using Latchkey.Server.Hosting;
using Latchkey.Server.Logs;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Latchkey.Server.Email;

/// <summary>
/// Drains <see cref="MailQueue"/>: up to <see cref="Concurrency"/> messages at once, each tried
/// <c>Latchkey:Email:MaxAttempts</c> times with a doubling wait (<c>RetryDelay</c>, on the server's
/// <see cref="TimeProvider"/>). A message that finally fails is a tenant log event <c>fn</c> (Auth0's "Failed Sending
/// Notification") and a warning, neither of which holds the message (it carries a link token).
/// </summary>
internal sealed partial class MailSender(MailQueue queue, IMailTransport transport, TenantLog log, IOptions<LatchkeyOptions> options, TimeProvider time, ILogger<MailSender> logger) : BackgroundService
{
    private const int Concurrency = 4;

    private readonly EmailOptions _settings = options.Value.Email;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(Concurrency);
        var inFlight = new List<Task>();
        try
        {
            await foreach (var mail in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(SendWithRetriesAsync(mail, slots, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: messages still queued are lost with the process, like the tenant log's (docs/account-lifecycle.md).
        }

        await Task.WhenAll(inFlight);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        return base.StopAsync(cancellationToken);
    }

    private async Task SendWithRetriesAsync(OutgoingMail mail, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            var message = Build(mail);
            var delay = _settings.RetryDelay;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await transport.SendAsync(message, stoppingToken);
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    if (attempt >= _settings.MaxAttempts)
                    {
                        LogGaveUp(logger, mail.Template, attempt, ex.GetType().Name, ex.Message);
                        log.Write(new LogEntry(LogEventTypes.FailedSendingNotification)
                        {
                            Description = $"Failed to send the {mail.Template} email after {attempt} attempts: {ex.Message}",
                            UserId = mail.UserId,
                            UserName = mail.To,
                            ClientId = mail.ClientId,
                        });
                        return;
                    }

                    LogRetry(logger, mail.Template, attempt, delay, ex.GetType().Name, ex.Message);
                }

                await Task.Delay(delay, time, stoppingToken);
                delay *= 2;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            slots.Release();
        }
    }

    private MimeMessage Build(OutgoingMail mail)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_settings.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html }.ToMessageBody();
        return message;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the {Template} email failed (attempt {Attempt}, next in {Delay}): {Error}: {Reason}")]
    private static partial void LogRetry(ILogger logger, string template, int attempt, TimeSpan delay, string error, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up sending the {Template} email after {Attempt} attempts: {Error}: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string template, int attempt, string error, string reason);
}
