using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RetroAct.Dashboard.Tests.Browser;

/// <summary>
/// A real headless Chromium driven over the Chrome DevTools Protocol (a WebSocket; no driver package): opens one
/// page and evaluates JavaScript in it. The browser is Debian's <c>chromium</c> (CI installs it; so does the first
/// test on a machine without it, when run as root), or the one RETROACT_CHROMIUM names. Collects the page's uncaught exceptions and console errors.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly List<string> _errors = [];
    private int _nextId;

    private HeadlessChromium(Process process, string profile) => (_process, _profile) = (process, profile);

    /// <summary>Uncaught exceptions and console errors the page reported so far.</summary>
    public IReadOnlyList<string> Errors => _errors;

    private const string DebianChromium = "/usr/bin/chromium";
    private static readonly SemaphoreSlim Installing = new(1, 1);

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("RETROACT_CHROMIUM") is { Length: > 0 } path ? path : DebianChromium;

    public static async Task<HeadlessChromium> OpenAsync(string url)
    {
        string executable = ExecutablePath;
        if (!File.Exists(executable) && executable == DebianChromium) await InstallAsync();
        if (!File.Exists(executable))
            throw new FileNotFoundException($"Chromium not found at {executable}: the dashboard's browser tests need a real browser. " +
                                            "Install it (apt-get install chromium; .ci/run does) or set RETROACT_CHROMIUM to its path.", executable);
        string profile = Directory.CreateTempSubdirectory("retroact-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (string argument in new[]
                 {
                     "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                     "--disable-extensions", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank",
                 })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await browser.ConnectAsync();
            await browser.SendAsync("Runtime.enable");
            await browser.SendAsync("Page.enable");
            await browser.SendAsync("Page.navigate", new JsonObject { ["url"] = url });
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// As the SQL tests do with MariaDB: on a machine without Chromium, installs Debian's package when running as root
    /// with apt-get (once per test run), so the README's test command works on a fresh machine; otherwise the caller's
    /// error says how to install it.
    /// </summary>
    private static async Task InstallAsync()
    {
        await Installing.WaitAsync();
        try
        {
            if (File.Exists(DebianChromium) || Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get")) return;
            foreach (string script in new[]
                     {
                         "apt-get install -y --no-install-recommends chromium",
                         "apt-get update && apt-get install -y --no-install-recommends chromium",
                     })
            {
                var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
                start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
                using var apt = Process.Start(start)!;
                var drained = Task.WhenAll(apt.StandardOutput.ReadToEndAsync(), apt.StandardError.ReadToEndAsync());
                await apt.WaitForExitAsync();
                await drained;
                if (apt.ExitCode == 0 && File.Exists(DebianChromium)) return;
            }
        }
        finally
        {
            Installing.Release();
        }
    }

    private async Task ConnectAsync()
    {
        // Chromium writes the port it chose, and the browser target's path, to DevToolsActivePort in the profile.
        string portFile = Path.Combine(_profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + Patience;
        while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 2)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Chromium exited with code {_process.ExitCode} before it opened its DevTools port");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Chromium did not open its DevTools port within {Patience.TotalSeconds} s");
            await Task.Delay(50);
        }
        int port = int.Parse(File.ReadAllLines(portFile)[0], System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient { Timeout = Patience };
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
        var page = targets.First(t => t!["type"]!.GetValue<string>() == "page")!;
        await _socket.ConnectAsync(new Uri(page["webSocketDebuggerUrl"]!.GetValue<string>()), new CancellationTokenSource(Patience).Token);
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value as JSON (null when undefined).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } error) throw new InvalidOperationException($"the page threw evaluating `{expression}`: {error.ToJsonString()}");
        return result["result"]?["value"]?.DeepClone();
    }

    /// <summary>Polls <paramref name="expression"/> until it is true; the message names what did not happen.</summary>
    public async Task WaitUntilAsync(string expression, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if ((await EvaluateAsync($"!!({expression})"))?.GetValue<bool>() == true) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not within {Patience.TotalSeconds} s in Chromium: {what}; page errors: [{string.Join("; ", _errors)}]");
            await Task.Delay(50);
        }
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null)
    {
        int id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        using var cancel = new CancellationTokenSource(Patience);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancel.Token);
        while (true)
        {
            var reply = await ReceiveAsync(cancel.Token);
            if (reply["method"]?.GetValue<string>() is { } e) Record(e, reply["params"]);
            else if (reply["id"]?.GetValue<int>() == id)
                return reply["error"] is { } error ? throw new InvalidOperationException($"DevTools {method}: {error.ToJsonString()}") : reply["result"]!;
        }
    }

    private void Record(string e, JsonNode? parameters)
    {
        if (e == "Runtime.exceptionThrown") _errors.Add(parameters?["exceptionDetails"]?.ToJsonString() ?? "an exception");
        else if (e == "Runtime.consoleAPICalled" && parameters?["type"]?.GetValue<string>() == "error") _errors.Add(parameters.ToJsonString());
    }

    private async Task<JsonNode> ReceiveAsync(CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, cancel);
            if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("Chromium closed the DevTools connection");
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(message.ToArray())!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open) await SendAsync("Browser.close").WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or WebSocketException)
        {
            // killed below
        }
        _socket.Dispose();
        if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; the temp folder is cleaned by the OS
        }
    }
}
