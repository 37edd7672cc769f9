package org.unicom4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.unicom4j.api.ImageEmbedder;
import org.unicom4j.api.LabeledImage;
import org.unicom4j.api.TestImages;
import org.unicom4j.api.Thumbnails;
import org.unicom4j.data.dataset.IdxImageDataset;

/**
 * The page in a real browser: Debian's Chromium driven headless by Selenium uploads a Fashion-MNIST image through
 * the file picker and the grid shows its k neighbours, most of them of its class.
 */
class BrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Indexed: the first 2,000 test images. The query comes from beyond them. */
    private static final int INDEXED = 2000;
    private static final int K = 8;

    @Test
    void aFashionMnistUploadShowsItsNeighboursMostOfItsClass(@TempDir Path dir) throws Exception {
        requireBrowser();
        IdxImageDataset fashion = FashionMnistTest.images();
        int query = INDEXED;
        while (fashion.label(query) != 1) { // the first trouser after the indexed ones
            query++;
        }
        Path queryPng = Files.write(dir.resolve("trouser.png"), Thumbnails.png(fashion.load(query), 28));
        Path model = TestImages.savedModel(dir.resolve("model.safetensors"), TestImages.DEMO_SHAPE, 7);
        try (SearchServer server = SearchServer.start(ImageEmbedder.builder().weights(model).backend("cpu"),
                dir.resolve("index"), ServeSettings.defaults().withPort(0))) {
            List<LabeledImage> images = new ArrayList<>();
            for (int i = 0; i < INDEXED; i++) {
                images.add(new LabeledImage(String.format("fashion-%05d", i), fashion.label(i), fashion.load(i)));
            }
            server.index().addAll(images);
            ChromeDriver browser = openBrowser(dir.resolve("chromium-profile"));
            try {
                browser.get(server.url() + "/");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.until(d -> d.findElement(By.id("index-size")).getText().equals(Integer.toString(INDEXED)));
                assertEquals(server.embedder().modelId(), browser.findElement(By.id("model-id")).getText());
                wait.until(d -> d.findElements(By.cssSelector("#browse .item")).size() == 40);

                browser.findElement(By.id("file")).sendKeys(queryPng.toString());
                wait.until(d -> d.findElements(By.cssSelector("#results .hit")).size() == K);
                List<WebElement> hits = browser.findElements(By.cssSelector("#results .hit"));
                long sameClass = hits.stream().filter(h -> h.getAttribute("data-label").equals("1")).count();
                assertTrue(sameClass > K / 2, sameClass + " of " + K + " neighbours are trousers");
                for (WebElement hit : hits) {
                    assertTrue(hit.findElement(By.cssSelector(".score")).getText().matches("[01]\\.\\d{4}"));
                    assertTrue((Boolean) browser.executeScript(
                            "return arguments[0].complete && arguments[0].naturalWidth > 0;",
                            hit.findElement(By.tagName("img"))), "the thumbnail loaded");
                }
                assertTrue(browser.findElement(By.id("timings")).getText().contains("embed"));
                assertTrue(browser.findElement(By.id("query-image")).isDisplayed());
                Files.write(Path.of("target", "browser-it.png"), browser.getScreenshotAs(OutputType.BYTES));
            } finally {
                browser.quit();
            }
        }
    }

    private static void requireBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String reason = "no " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(reason);
            }
            Assumptions.abort(reason);
        }
    }

    /**
     * Headless Chromium with a fresh profile. Without the background-networking flags Chromium keeps trying to reach
     * Google's services, which a closed network refuses.
     */
    private static ChromeDriver openBrowser(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1600", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
