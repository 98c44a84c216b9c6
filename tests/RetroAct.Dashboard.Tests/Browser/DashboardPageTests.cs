namespace RetroAct.Dashboard.Tests.Browser;

/// <summary>The dashboard page in a real headless Chromium: live updates over server-sent events, members, the success chart.</summary>
public sealed class DashboardPageTests : IAsyncLifetime
{
    private readonly MetricsBoard _board = new();
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync(_board, "127.0.0.1", 0);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Text(string selector) => $"(document.querySelector('{selector}') || {{}}).textContent";

    [Fact]
    public async Task The_page_shows_what_was_reported_before_it_opened_and_updates_live_after()
    {
        _board.SetMembers([new BoardMember("127.0.0.1:4053", ["seed", "dashboard"], "Up")]);
        _board.Add(new BoardReport("local", "il", 1, DateTimeOffset.UtcNow, new Dictionary<string, double> { ["loss"] = 3.5 }));
        await using var browser = await HeadlessChromium.OpenAsync(_server.Url);

        await browser.WaitUntilAsync($"{Text("#status")} === 'live'", "the page connected to the event stream");
        await browser.WaitUntilAsync($"{Text("[data-key=\"local|il|loss\"] .value")} === '3.500'", "the snapshot's il loss is shown");
        Assert.Equal("seed, dashboard", (await browser.EvaluateAsync(Text("[data-member=\"127.0.0.1:4053\"] td:nth-child(2)")))!.GetValue<string>());

        // Reported after the page opened: arrives over server-sent events, no reload.
        for (int step = 2; step <= 4; step++)
            _board.Add(new BoardReport("local", "il", step, DateTimeOffset.UtcNow, new Dictionary<string, double> { ["loss"] = 3.5 - step / 2.0 }));
        _board.Add(new BoardReport("local", "eval", 1, DateTimeOffset.UtcNow, new Dictionary<string, double> { ["ir"] = 0.14, ["fr"] = 0.2, ["ar"] = 0.17 }));
        await browser.WaitUntilAsync($"{Text("[data-key=\"local|il|loss\"] .value")} === '1.500'", "the newest il loss replaced the old one");
        await browser.WaitUntilAsync("document.querySelectorAll('[data-key=\"local|il|loss\"] svg polyline').length === 1",
            "the il loss has a sparkline of its readings");
        await browser.WaitUntilAsync($"{Text("[data-key=\"success|ir\"]")} === 'IR 14.0 %'", "the success chart's legend shows trial-1 success");
        Assert.False((await browser.EvaluateAsync("document.getElementById('success-card').hidden"))!.GetValue<bool>());
        Assert.Equal("5", (await browser.EvaluateAsync(Text("#reports")))!.GetValue<string>());

        // A member joining shows without a reload too.
        _board.SetMembers([new BoardMember("127.0.0.1:4053", ["seed", "dashboard"], "Up"), new BoardMember("127.0.0.1:4060", ["rollout"], "Joining")]);
        await browser.WaitUntilAsync($"{Text("[data-member=\"127.0.0.1:4060\"] td:nth-child(3)")} === 'Joining'", "the new member's row");

        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task Text_from_other_nodes_is_shown_as_text_never_run_as_markup()
    {
        await using var browser = await HeadlessChromium.OpenAsync(_server.Url);
        await browser.WaitUntilAsync($"{Text("#status")} === 'live'", "the page connected");
        _board.Add(new BoardReport("<img src=x onerror=window.pwned=1>", "<b>evil</b>", 1, DateTimeOffset.UtcNow,
            new Dictionary<string, double> { ["<i>x</i>"] = 1 }));
        await browser.WaitUntilAsync("document.querySelector('section[data-source] h2')", "the report's card");
        Assert.Equal("<b>evil</b>", (await browser.EvaluateAsync("document.querySelector('section[data-source] h2').firstChild.textContent"))!.GetValue<string>());
        Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('section[data-source] b, section[data-source] img').length"))!.GetValue<int>());
        Assert.Null(await browser.EvaluateAsync("window.pwned"));
        Assert.Empty(browser.Errors);
    }
}
