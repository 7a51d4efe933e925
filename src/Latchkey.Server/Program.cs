using Latchkey.Server.Hosting;

return await LatchkeyServer.RunAsync(args, Console.Error);
