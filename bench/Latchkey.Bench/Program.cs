using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Latchkey.Bench;

// bench/run.sh drives these sub-commands; see bench/README.md.
switch (args.FirstOrDefault())
{
    case "authority":
        await BenchServers.RunAuthorityAsync(args[1], args[2]);
        break;
    case "api":
        await BenchServers.RunApiAsync(args[1], args[2], args[3]);
        break;
    case "rsa":
        RsaSignRate.Run(TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2));
        break;
    case "sign-only":
        await SignOnlyServer.RunAsync(args[1]);
        break;
    case "pbkdf2":
        Pbkdf2Rate.Run(TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2));
        break;
    case "micro":
        // In-process and short: seconds, not minutes, on a shared 2-core machine.
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(2).WithIterationCount(5))
            .WithOptions(ConfigOptions.DisableLogFile);
        BenchmarkSwitcher.FromTypes([typeof(ValidatorBenchmarks), typeof(RequestBenchmarks), typeof(HashBenchmarks)]).Run(args.Skip(1).ToArray(), config);
        break;
    default:
        Console.Error.WriteLine("usage: authority <url> <tokenfile> | api <none|jwtbearer|latchkey> <url> <authority> | sign-only <url> | rsa [seconds] | pbkdf2 [seconds] | micro");
        Environment.ExitCode = 2;
        break;
}
