using System.Threading.Channels;
using Latchkey.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Email;

/// <summary>
/// Mail leaves off the request path: a request puts the message on this bounded queue and answers at once;
/// <see cref="MailSender"/> sends it, with retries. <see cref="CanSend"/> is false in production without SMTP: the flows
/// that need mail refuse with a clear error instead of pretending to send.
/// </summary>
internal sealed class MailQueue
{
    private readonly Channel<OutgoingMail> _queue;

    public MailQueue(IOptions<LatchkeyOptions> options, IMailTransport? transport)
    {
        ArgumentNullException.ThrowIfNull(options);
        CanSend = transport is not null;
        _queue = Channel.CreateBounded<OutgoingMail>(new BoundedChannelOptions(options.Value.Email.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>What a flow that needs mail says when none can be sent.</summary>
    public const string NotConfigured = "This server cannot send email: no SMTP server is configured (Latchkey:Email:Smtp:Host).";

    /// <summary>True when an SMTP server or the development folder is configured.</summary>
    public bool CanSend { get; }

    internal ChannelReader<OutgoingMail> Reader => _queue.Reader;

    /// <summary>Queues a message; false when mail cannot be sent or the queue is full.</summary>
    public bool TryEnqueue(OutgoingMail mail) => CanSend && _queue.Writer.TryWrite(mail);

    internal void Complete() => _queue.Writer.TryComplete();
}
