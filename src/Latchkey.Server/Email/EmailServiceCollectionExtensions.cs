using Latchkey.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Email;

internal static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// Mail: SMTP when <c>Latchkey:Email:Smtp:Host</c> is set; else the pickup folder (configured, or by default in the
    /// Development environment); else none, and <see cref="MailQueue.CanSend"/> is false.
    /// </summary>
    public static IServiceCollection AddLatchkeyEmail(this IServiceCollection services)
    {
        services.AddSingleton<MailTemplates>();
        services.AddSingleton<IMailTransport>(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<LatchkeyOptions>>().Value.Email;
            if (settings.Smtp.Host is { Length: > 0 })
            {
                return new SmtpMailTransport(settings.Smtp);
            }

            var folder = settings.PickupFolder is { Length: > 0 } configured ? configured
                : provider.GetRequiredService<IHostEnvironment>().IsDevelopment() ? Path.Combine(Path.GetTempPath(), "latchkey-mail")
                : null;
            return folder is null
                ? NoMailTransport.Instance
                : new FolderMailTransport(folder, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<FolderMailTransport>>());
        });
        services.AddSingleton(provider =>
        {
            var transport = provider.GetRequiredService<IMailTransport>();
            return new MailQueue(provider.GetRequiredService<IOptions<LatchkeyOptions>>(), transport is NoMailTransport ? null : transport);
        });
        services.AddHostedService<MailSender>();
        return services;
    }
}
