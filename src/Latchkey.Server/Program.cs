using Latchkey.Server.Hosting;

var app = await LatchkeyServer.BuildAsync(args);
await app.RunAsync();
