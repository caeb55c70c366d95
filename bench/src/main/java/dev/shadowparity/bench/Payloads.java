package dev.shadowparity.bench;

import dev.shadowparity.engine.Headers;
import dev.shadowparity.engine.RecordedResponse;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic (seeded) response pairs for {@link CompareBenchmark}: the same data as an old Python 2
 * stack and a new Python 3 stack would write it. No files are read; every run builds the same bytes.
 *
 * <p>JSON differences that normalization must absorb, everywhere in every JSON body:
 * <ul>
 *   <li>object key order: OLD writes keys in a shuffled (hash-like) order, NEW in insertion order;</li>
 *   <li>non-ASCII text: OLD escapes it as backslash-u sequences ({@code json.dumps} with
 *       {@code ensure_ascii=True}, surrogate pairs for emoji), NEW writes raw UTF-8;</li>
 *   <li>money: OLD writes floats ({@code 1250.0}, {@code 0.0}), NEW writes whole amounts as integers
 *       ({@code 1250}, {@code 0});</li>
 *   <li>headers: Date, Server, Content-Length, X-Request-Id and the Set-Cookie value differ; Content-Type
 *       gains {@code charset=utf-8}; Cache-Control and Vary list their tokens in another order.</li>
 * </ul>
 * Every real difference is a mutation of the NEW model, listed next to the method that makes it.
 *
 * <p>Why one file of this length: the benchmark's payloads are data written as code, one method per realistic answer
 * shape.
 */
final class Payloads {

  private Payloads() {}

  /**
   * A pair of responses and the differences the comparator must report for it, by
   * {@link dev.shadowparity.engine.Difference#path() path} (a JSON Pointer, or {@code line N} for text).
   */
  record Pair(String name, RecordedResponse oldResponse, RecordedResponse newResponse, List<String> expectedPaths) {
    int oldSize() {
      return oldResponse.body().length;
    }

    int newSize() {
      return newResponse.body().length;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reference data

  private static final String[] FIRST_NAMES = {
      "Hélène", "François", "Zoë", "Øyvind", "Jürgen", "Ana", "Łukasz", "Siobhán", "José", "Chloé",
      "Mårten", "Renée", "Björn", "Inès", "Dvořák", "Amélie", "Noël", "Søren", "Agnès", "Raúl"};
  private static final String[] LAST_NAMES = {
      "Dupré", "Müller", "Østergaard", "Núñez", "Kowalski", "O'Brien", "Ribeiro", "Lefèvre", "Schäfer",
      "Gonçalves", "Nováková", "Åberg", "Fernández", "Brontë", "Weiß", "Lindqvist", "Moreau", "Żak"};
  private static final String[][] CITIES = {
      {"Orléans", "45000", "FR"}, {"München", "80331", "DE"}, {"Kraków", "30-001", "PL"},
      {"São Paulo", "01000-000", "BR"}, {"Malmö", "211 20", "SE"}, {"Zürich", "8001", "CH"},
      {"Besançon", "25000", "FR"}, {"Córdoba", "14001", "ES"}, {"Köln", "50667", "DE"},
      {"Århus", "8000", "DK"}, {"Genève", "1201", "CH"}, {"Reykjavík", "101", "IS"}};
  private static final String[] STREETS = {
      "rue de l'Église", "Schloßstraße", "ulica Świętego Jana", "Rua Açores", "Storgatan", "Bahnhofstrasse",
      "avenue Léon Blum", "Calle de la Judería", "Hohe Straße", "Søndergade", "quai du Mont-Blanc"};
  /** SKU, name, price (BigDecimal text; whole prices are what the float/int difference shows on). */
  private static final String[][] CATALOG = {
      {"ESP-00001", "Espresso machine « Barista Pro »", "1250.00"},
      {"CRB-01442", "Crème brûlée kit", "39.90"},
      {"CAF-20931", "Café moulu 1 kg", "14.00"},
      {"THE-31007", "Thé vert sencha", "8.50"},
      {"PIN-40112", "Piñata party pack", "24.99"},
      {"SMR-50871", "Smørrebrød board", "45.00"},
      {"CRP-62018", "Crêpe pan 28 cm", "32.00"},
      {"CUP-70344", "Espresso cups (set of 4)", "19.95"},
      {"PAT-81220", "Pâte à tartiner 750 g", "6.49"},
      {"MUG-90015", "Mug « Bonjour » 350 ml", "12.00"},
      {"GRN-11873", "Moulin à café manuel", "89.00"},
      {"CHO-12750", "Chocolat noir 70 % — 100 g", "3.20"},
      {"KET-13004", "Bouilloire col de cygne", "64.90"},
      {"FIL-14411", "Filtres papier n°4 (x100)", "4.00"},
      {"TAS-15502", "Tasse à thé en grès", "15.50"}};
  private static final String[] STATUSES = {"pending", "paid", "shipped", "delivered", "cancelled", "refunded"};
  private static final String[] NOTES = {
      "Livraison après 18h — sonner à l'interphone", "Bitte beim Nachbarn abgeben (Tür 3)",
      "Cadeau : ne pas mettre la facture 🎁", "Entregar na portaria", "Lämna vid dörren", ""};

  private static Money money(String decimal) {
    return new Money(new BigDecimal(decimal));
  }

  /** An amount: OLD writes it as a Python float, NEW as int when whole. */
  record Money(BigDecimal value) {
    Money times(int n) {
      return new Money(value.multiply(BigDecimal.valueOf(n)));
    }

    Money plus(Money other) {
      return new Money(value.add(other.value));
    }
  }

  private static String pick(Random r, String[] values) {
    return values[r.nextInt(values.length)];
  }

  private static String timestamp(Random r, int day) {
    return String.format("2026-11-%02dT%02d:%02d:%02dZ", day, r.nextInt(24), r.nextInt(60), r.nextInt(60));
  }

  private static String slug(String s) {
    StringBuilder sb = new StringBuilder();
    String ascii = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD);
    for (int i = 0; i < ascii.length(); i++) {
      char c = Character.toLowerCase(ascii.charAt(i));
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        sb.append(c);
      } else if (c < 0x300 && sb.length() > 0 && sb.charAt(sb.length() - 1) != '-') {
        sb.append('-');
      }
    }
    while (sb.length() > 0 && sb.charAt(sb.length() - 1) == '-') {
      sb.setLength(sb.length() - 1);
    }
    return sb.toString();
  }

  private static Map<String, Object> obj(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> at(Object node, Object... path) {
    Object n = node;
    for (Object step : path) {
      n = step instanceof Integer i ? ((List<Object>) n).get(i) : ((Map<String, Object>) n).get((String) step);
    }
    return (Map<String, Object>) n;
  }

  // ---------------------------------------------------------------------------------------------
  // Models

  private static Map<String, Object> customer(Random r, long id) {
    String first = pick(r, FIRST_NAMES);
    String last = pick(r, LAST_NAMES);
    return obj(
        "id", id,
        "name", first + " " + last,
        "email", slug(first) + "." + slug(last) + "@example.com",
        "loyalty_tier", pick(r, new String[] {"bronze", "silver", "gold"}));
  }

  private static Map<String, Object> address(Random r) {
    String[] city = CITIES[r.nextInt(CITIES.length)];
    return obj(
        "line1", (1 + r.nextInt(120)) + " " + pick(r, STREETS),
        "city", city[0],
        "postcode", city[1],
        "country", city[2]);
  }

  /** A full order as {@code GET /api/orders/{id}} answers it (~2 KB). */
  private static Map<String, Object> detailedOrder(Random r, long id) {
    List<Object> items = new ArrayList<>();
    Money subtotal = money("0");
    int n = 6;
    for (int i = 0; i < n; i++) {
      // item 0 is the espresso machine: a whole price (1250.0 vs 1250) in every pair
      String[] product = i == 0 ? CATALOG[0] : CATALOG[1 + r.nextInt(CATALOG.length - 1)];
      int qty = i == 0 ? 1 : 1 + r.nextInt(3);
      Money unit = money(product[2]);
      Money total = unit.times(qty);
      subtotal = subtotal.plus(total);
      items.add(obj(
          "sku", product[0],
          "name", product[1],
          "quantity", (long) qty,
          "unit_price", unit,
          "total", total,
          "tax_rate", money("0.20")));
    }
    Money shipping = money("0.00");
    Money tax = new Money(subtotal.value().multiply(new BigDecimal("0.2")).setScale(2, java.math.RoundingMode.HALF_EVEN));
    Map<String, Object> order = obj(
        "id", id,
        "number", "SO-2026-" + id,
        "status", "shipped",
        "created_at", timestamp(r, 18),
        "updated_at", timestamp(r, 20),
        "customer", customer(r, 90_000 + r.nextInt(10_000)),
        "shipping_address", address(r),
        "billing_address", address(r),
        "items", items,
        "subtotal", subtotal,
        "shipping", shipping,
        "tax", tax,
        "total", subtotal.plus(shipping).plus(tax),
        "currency", "EUR",
        "payment", obj("method", "card", "brand", "visa", "last4", "4242", "captured", Boolean.TRUE),
        "shipment", obj(
            "carrier", "Colissimo",
            "tracking_number", "6A" + (10_000_000_000L + r.nextInt(1_000_000_000)),
            "shipped_at", timestamp(r, 20),
            "estimated_delivery", "2026-11-24"),
        "coupon", null,
        "tags", new ArrayList<>(List.of("gift", "priority")),
        "channel", "web",
        "locale", "fr_FR",
        "gift_wrap", Boolean.TRUE,
        "gift_message", "Joyeux anniversaire ! Bisous de Grand-mère",
        "notes", NOTES[2]);
    return obj(
        "order", order,
        "links", obj(
            "self", "/api/orders/" + id,
            "invoice", "/api/orders/" + id + "/invoice.pdf",
            "customer", "/api/customers/" + at(order, "customer").get("id"),
            "tracking", "https://www.laposte.fr/outils/suivre-vos-envois?code=" + at(order, "shipment").get("tracking_number")));
  }

  /** A compact order as one element of {@code GET /api/orders?per_page=...} (~300 bytes). */
  private static Map<String, Object> listedOrder(Random r, long id) {
    List<Object> items = new ArrayList<>();
    Money total = money("0");
    int n = 1 + r.nextInt(2);
    for (int i = 0; i < n; i++) {
      String[] product = CATALOG[r.nextInt(CATALOG.length)];
      int qty = 1 + r.nextInt(3);
      Money unit = money(product[2]);
      total = total.plus(unit.times(qty));
      items.add(obj("sku", product[0], "name", product[1], "qty", (long) qty, "unit_price", unit));
    }
    String first = pick(r, FIRST_NAMES);
    String last = pick(r, LAST_NAMES);
    String[] city = CITIES[r.nextInt(CITIES.length)];
    return obj(
        "id", id,
        "status", pick(r, STATUSES),
        "created_at", timestamp(r, 1 + r.nextInt(28)),
        "customer", obj("id", 90_000L + r.nextInt(10_000), "name", first + " " + last),
        "items", items,
        "total", total,
        "ship_to", obj("city", city[0], "country", city[2]));
  }

  private static Map<String, Object> orderPage(long seed, int count) {
    Random r = new Random(seed);
    List<Object> orders = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      orders.add(listedOrder(r, 480_000L + i));
    }
    return obj(
        "data", orders,
        "meta", obj("page", 1L, "per_page", (long) count, "total", (long) count, "currency", "EUR", "next", null));
  }

  // ---------------------------------------------------------------------------------------------
  // Pairs

  /** ~2 KB order, equal after normalization (only formatting and volatile headers differ). */
  static Pair json2kEqual() {
    Map<String, Object> model = detailedOrder(new Random(20261121L), 482_113L);
    return jsonPair("json-2k-equal", model, detailedOrder(new Random(20261121L), 482_113L), List.of());
  }

  /**
   * ~2 KB order with exactly 3 differences: a changed unit price, a changed status, and a key that is
   * null in OLD and missing in NEW.
   */
  static Pair json2kThreeDiffs() {
    Map<String, Object> model = detailedOrder(new Random(20261122L), 482_114L);
    Map<String, Object> changed = detailedOrder(new Random(20261122L), 482_114L);
    Map<String, Object> order = at(changed, "order");
    at(order, "items", 2).put("unit_price", money("33.00"));   // 1: /order/items/2/unit_price value
    order.put("status", "dispatched");                          // 2: /order/status value
    order.remove("coupon");                                     // 3: /order/coupon missing
    return jsonPair("json-2k-3-diffs", model, changed,
        List.of("/order/items/2/unit_price", "/order/status", "/order/coupon"));
  }

  /** Number of orders in the ~1 MB list. */
  static final int LIST_ORDERS = 3_000;

  /**
   * ~1 MB order list with 5 differences spread through it: two changed values deep inside orders, a
   * changed status, a missing object, and a changed page total.
   */
  static Pair json1mFiveDiffs() {
    long seed = 42L;
    Map<String, Object> model = orderPage(seed, LIST_ORDERS);
    Map<String, Object> changed = orderPage(seed, LIST_ORDERS);
    at(changed, "data", 137).put("status", "lost");                                         // 1
    Map<String, Object> item = at(changed, "data", 1_024, "items", 0);
    item.put("unit_price", ((Money) item.get("unit_price")).plus(money("0.01")));            // 2
    at(changed, "data", 2_048, "customer").put("name", "Renée Lefèvre");                    // 3
    at(changed, "data", 2_999).remove("ship_to");                                           // 4
    at(changed, "meta").put("total", (long) LIST_ORDERS + 1);                               // 5
    return jsonPair("json-1m-5-diffs", model, changed, List.of(
        "/data/137/status", "/data/1024/items/0/unit_price", "/data/2048/customer/name", "/data/2999/ship_to", "/meta/total"));
  }

  private static Pair jsonPair(String name, Map<String, Object> oldModel, Map<String, Object> newModel, List<String> expected) {
    byte[] oldBody = new PyJson(true, 2L).write(oldModel).getBytes(StandardCharsets.UTF_8);
    byte[] newBody = new PyJson(false, 3L).write(newModel).getBytes(StandardCharsets.UTF_8);
    Headers oldHeaders = Headers.of(
        "Server", "BaseHTTP/0.3 Python/2.7.18",
        "Date", "Sat, 21 Nov 2026 11:12:44 GMT",
        "Content-Type", "application/json",
        "Content-Length", Integer.toString(oldBody.length),
        "Cache-Control", "private, max-age=0, must-revalidate",
        "Vary", "Accept-Encoding, Cookie",
        "X-Request-Id", "3f6c2a9e-8d1b-4c57-a0e4-7b9d2f1c6e80",
        "X-Frame-Options", "SAMEORIGIN",
        "Set-Cookie", "sessionid=8d1b4c57a0e47b9d; Path=/; HttpOnly; Expires=Sun, 21 Dec 2026 11:12:44 GMT",
        "Connection", "close");
    Headers newHeaders = Headers.of(
        "Server", "gunicorn",
        "Date", "Sat, 21 Nov 2026 11:12:45 GMT",
        "Content-Type", "application/json; charset=utf-8",
        "Content-Length", Integer.toString(newBody.length),
        "Cache-Control", "max-age=0, must-revalidate, private",
        "Vary", "Cookie, Accept-Encoding",
        "X-Request-Id", "a0e47b9d-2f1c-4e80-9c3f-6c2a9e8d1b4c",
        "X-Frame-Options", "SAMEORIGIN",
        "Set-Cookie", "sessionid=f2c91e07b3a6d548; expires=Mon, 21 Dec 2026 11:12:45 GMT; HttpOnly; Path=/",
        "Connection", "keep-alive");
    return new Pair(name, new RecordedResponse(200, oldHeaders, oldBody), new RecordedResponse(200, newHeaders, newBody), expected);
  }

  /** Orders in the ~64 KB list of the floor pairs. */
  static final int FLOOR_LIST_ORDERS = 190;

  /**
   * The same data written twice by the same writer: OLD and NEW byte for byte the same body and the same headers, the
   * commonest case of a healthy migration (issue 22: what a comparison costs when there is nothing to find).
   */
  static Pair identical(boolean large) {
    Map<String, Object> model = large ? orderPage(7L, FLOOR_LIST_ORDERS) : detailedOrder(new Random(20261206L), 482_200L);
    byte[] body = new PyJson(false, 2L).write(model).getBytes(StandardCharsets.UTF_8);
    Headers headers = Headers.of("Content-Type", "application/json", "Content-Length", Integer.toString(body.length),
        "Cache-Control", "private, max-age=0", "Vary", "Accept-Encoding");
    return new Pair(large ? "json-64k-identical" : "json-2k-identical", new RecordedResponse(200, headers, body),
        new RecordedResponse(200, headers, body.clone()), List.of());
  }

  /**
   * The same data with the keys of every object in another order (two stacks' serializers), everything else alike:
   * the typical "same data" pair, equal after normalization.
   */
  static Pair keyOrder(boolean large) {
    Map<String, Object> model = large ? orderPage(7L, FLOOR_LIST_ORDERS) : detailedOrder(new Random(20261206L), 482_200L);
    byte[] oldBody = new PyJson(false, 2L).write(model).getBytes(StandardCharsets.UTF_8);
    byte[] newBody = PyJson.shuffledKeys(3L).write(model).getBytes(StandardCharsets.UTF_8);
    Headers headers = Headers.of("Content-Type", "application/json", "Cache-Control", "private, max-age=0",
        "Vary", "Accept-Encoding");
    return new Pair(large ? "json-64k-key-order" : "json-2k-key-order", new RecordedResponse(200, headers, oldBody),
        new RecordedResponse(200, headers, newBody), List.of());
  }

  /** Number of product cards on the ~200 KB page. */
  static final int PAGE_PRODUCTS = 230;

  /**
   * ~200 KB catalogue page: OLD with CRLF line ends, NEW with LF; 4 lines differ far apart (CSRF token,
   * one price, one stock badge, the render-time comment at the end). A text body is reported as one
   * {@code body} difference whose unified diff has one hunk per changed place.
   */
  static Pair html200kFourLines() {
    List<String> lines = catalogPage(new Random(7L));
    List<String> changed = new ArrayList<>(lines);
    replaceLine(changed, "<meta name=\"csrf-token\"", "    <meta name=\"csrf-token\" content=\"Zm9vYmFyLW5ldy1zdGFjay10b2tlbi0yMDI2\">");
    replaceNth(changed, "<span class=\"amount\">", 90, "          <p class=\"price\"><span class=\"amount\">41,90&nbsp;€</span></p>");
    replaceNth(changed, "<p class=\"stock", 210, "          <p class=\"stock out-of-stock\">Épuisé</p>");
    replaceLine(changed, "<!-- rendered in", "<!-- rendered in 0.021s by web-7c9f (python 3.11) -->");
    byte[] oldBody = (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] newBody = (String.join("\n", changed) + "\n").getBytes(StandardCharsets.UTF_8);
    Headers oldHeaders = Headers.of(
        "Server", "Apache/2.2.22 (Debian) mod_wsgi/3.3 Python/2.7.18",
        "Date", "Sat, 21 Nov 2026 11:12:44 GMT",
        "Content-Type", "text/html; charset=utf-8",
        "Content-Length", Integer.toString(oldBody.length),
        "Content-Language", "fr, en",
        "Cache-Control", "public, max-age=60",
        "Vary", "Accept-Encoding, Accept-Language",
        "X-Frame-Options", "SAMEORIGIN");
    Headers newHeaders = Headers.of(
        "Server", "nginx/1.26.2",
        "Date", "Sat, 21 Nov 2026 11:12:45 GMT",
        "Content-Type", "text/html; charset=UTF-8",
        "Content-Length", Integer.toString(newBody.length),
        "Content-Language", "en, fr",
        "Cache-Control", "max-age=60, public",
        "Vary", "Accept-Language, Accept-Encoding",
        "X-Frame-Options", "SAMEORIGIN",
        "X-Request-Id", "c57a0e47-b9d2-4f1c-8e80-3f6c2a9e8d1b");
    return new Pair("html-200k-4-lines", new RecordedResponse(200, oldHeaders, oldBody),
        new RecordedResponse(200, newHeaders, newBody), List.of("line 8"));
  }

  private static void replaceLine(List<String> lines, String marker, String replacement) {
    replaceNth(lines, marker, 0, replacement);
  }

  private static void replaceNth(List<String> lines, String marker, int nth, String replacement) {
    int seen = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(marker) && seen++ == nth) {
        if (lines.get(i).equals(replacement)) {
          throw new IllegalStateException("replacement of line " + i + " changes nothing: " + replacement);
        }
        lines.set(i, replacement);
        return;
      }
    }
    throw new IllegalStateException("no line #" + nth + " containing " + marker);
  }

  private static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String frenchPrice(BigDecimal value) {
    return value.setScale(2).toPlainString().replace('.', ',') + "&nbsp;€";
  }

  private static List<String> catalogPage(Random r) {
    List<String> l = new ArrayList<>();
    l.add("<!DOCTYPE html>");
    l.add("<html lang=\"fr\">");
    l.add("  <head>");
    l.add("    <meta charset=\"utf-8\">");
    l.add("    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    l.add("    <title>Café &amp; thé — Boutique en ligne</title>");
    l.add("    <meta name=\"description\" content=\"Machines à espresso, cafés de spécialité, thés et accessoires. Livraison offerte dès 49 €.\">");
    l.add("    <meta name=\"csrf-token\" content=\"b2xkLXN0YWNrLWNzcmYtdG9rZW4tMjAyNi0xMS0yMQ\">");
    l.add("    <link rel=\"canonical\" href=\"https://shop.example.com/fr/cafe-the/\">");
    l.add("    <link rel=\"alternate\" hreflang=\"en\" href=\"https://shop.example.com/en/coffee-tea/\">");
    l.add("    <link rel=\"stylesheet\" href=\"/static/css/main.4f9c2a1e.css\">");
    l.add("    <link rel=\"preload\" href=\"/static/fonts/inter-var.woff2\" as=\"font\" type=\"font/woff2\" crossorigin>");
    l.add("    <script defer src=\"/static/js/vendor.91be3c07.js\"></script>");
    l.add("    <script defer src=\"/static/js/catalogue.2d7a55f0.js\"></script>");
    l.add("    <style>");
    for (String rule : new String[] {
        ".product-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:1.5rem}",
        ".product-card{border:1px solid #e5e2dc;border-radius:8px;padding:1rem;background:#fff}",
        ".product-card img{width:100%;height:auto;aspect-ratio:1/1;object-fit:cover}",
        ".price .amount{font-weight:600;font-size:1.125rem}", ".stock.in-stock{color:#2f7d32}",
        ".stock.low-stock{color:#b26a00}", ".stock.out-of-stock{color:#9e9e9e}"}) {
      l.add("      " + rule);
    }
    l.add("    </style>");
    l.add("  </head>");
    l.add("  <body class=\"catalogue\">");
    l.add("    <header class=\"site-header\">");
    l.add("      <a class=\"logo\" href=\"/fr/\"><img src=\"/static/img/logo.svg\" alt=\"Café &amp; thé\" width=\"160\" height=\"40\"></a>");
    l.add("      <nav aria-label=\"Rayons\">");
    l.add("        <ul>");
    for (String section : new String[] {"Machines", "Cafés", "Thés", "Chocolats", "Accessoires", "Idées cadeaux", "Promotions"}) {
      l.add("          <li><a href=\"/fr/" + slug(section) + "/\">" + section + "</a></li>");
    }
    l.add("        </ul>");
    l.add("      </nav>");
    l.add("      <form class=\"search\" action=\"/fr/recherche\" method=\"get\"><input type=\"search\" name=\"q\" placeholder=\"Rechercher un produit…\"></form>");
    l.add("    </header>");
    l.add("    <main>");
    l.add("      <h1>Café &amp; thé</h1>");
    l.add("      <p class=\"result-count\">" + PAGE_PRODUCTS + " produits</p>");
    l.add("      <ul class=\"product-grid\">");
    for (int i = 0; i < PAGE_PRODUCTS; i++) {
      String[] product = CATALOG[r.nextInt(CATALOG.length)];
      String sku = product[0].substring(0, 4) + (10_000 + r.nextInt(90_000));
      String name = product[1];
      String url = "/fr/p/" + sku + "/" + slug(name);
      String img = "https://cdn.example.com/img/" + sku;
      BigDecimal price = new BigDecimal(product[2]).add(BigDecimal.valueOf(r.nextInt(300), 2));
      int stock = r.nextInt(40);
      l.add("        <li class=\"product-card\" data-sku=\"" + sku + "\" data-position=\"" + (i + 1) + "\">");
      l.add("          <a href=\"" + url + "\" class=\"product-link\">");
      l.add("            <img src=\"" + img + "-320w.jpg\" srcset=\"" + img + "-320w.jpg 320w, " + img
          + "-640w.jpg 640w\" sizes=\"(max-width: 600px) 50vw, 220px\" alt=\"" + html(name) + "\" loading=\"lazy\" width=\"320\" height=\"320\">");
      l.add("            <h3 class=\"product-title\">" + html(name) + "</h3>");
      l.add("          </a>");
      int stars = 3 + r.nextInt(3);
      l.add("          <p class=\"rating\" aria-label=\"Note " + stars + " sur 5\">" + "★".repeat(stars) + "</p>");
      l.add("          <p class=\"price\"><span class=\"amount\">" + frenchPrice(price) + "</span></p>");
      l.add("          <p class=\"stock " + (stock == 0 ? "out-of-stock\">Épuisé" : stock < 5 ? "low-stock\">Plus que " + stock + " en stock" : "in-stock\">En stock") + "</p>");
      l.add("          <button type=\"button\" class=\"add-to-cart\" data-sku=\"" + sku + "\" data-price=\"" + price.setScale(2).toPlainString() + "\"" + (stock == 0 ? " disabled" : "") + ">Ajouter au panier</button>");
      l.add("        </li>");
    }
    l.add("      </ul>");
    l.add("      <nav class=\"pagination\" aria-label=\"Pages\"><a rel=\"next\" href=\"/fr/cafe-the/?page=2\">Page suivante →</a></nav>");
    l.add("    </main>");
    l.add("    <footer class=\"site-footer\">");
    l.add("      <p>© 2026 Café &amp; thé SAS — 12 rue de l'Église, 45000 Orléans — <a href=\"/fr/cgv\">CGV</a> · <a href=\"/fr/confidentialite\">Confidentialité</a></p>");
    l.add("    </footer>");
    l.add("  </body>");
    l.add("</html>");
    l.add("<!-- rendered in 0.184s by web-03 (python 2.7) -->");
    return l;
  }

  // ---------------------------------------------------------------------------------------------
  // JSON writers

  /**
   * Writes a model the way Python's {@code json.dumps} does: {@code ", "} and {@code ": "} separators.
   * Python 2 style: keys in a shuffled order, non-ASCII escaped, money as floats. Python 3 style: keys in
   * insertion order, raw UTF-8, whole money amounts as integers.
   */
  static final class PyJson {
    private final boolean python2;
    private final Random keyOrder;
    /** Keys shuffled without Python 2's other habits (escapes, {@code .0}): another serializer's key order only. */
    private boolean shuffleOnly;
    private final StringBuilder sb = new StringBuilder(1 << 16);

    PyJson(boolean python2, long seed) {
      this.python2 = python2;
      this.keyOrder = new Random(seed);
    }

    /** A writer like NEW's (raw UTF-8, whole numbers) whose objects' keys come in a shuffled order. */
    static PyJson shuffledKeys(long seed) {
      PyJson w = new PyJson(false, seed);
      w.shuffleOnly = true;
      return w;
    }

    String write(Object value) {
      sb.setLength(0);
      value(value);
      return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private void value(Object v) {
      if (v == null) {
        sb.append("null");
      } else if (v instanceof Map<?, ?> m) {
        object((Map<String, Object>) m);
      } else if (v instanceof List<?> list) {
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          value(list.get(i));
        }
        sb.append(']');
      } else if (v instanceof String s) {
        string(s);
      } else if (v instanceof Money money) {
        sb.append(money(money.value()));
      } else if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
        sb.append(v);
      } else {
        throw new IllegalArgumentException("not a JSON model value: " + v.getClass());
      }
    }

    private void object(Map<String, Object> m) {
      List<String> keys = new ArrayList<>(m.keySet());
      if (python2 || shuffleOnly) {
        Collections.shuffle(keys, keyOrder);
      }
      sb.append('{');
      boolean first = true;
      for (String k : keys) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        string(k);
        sb.append(": ");
        value(m.get(k));
      }
      sb.append('}');
    }

    private String money(BigDecimal d) {
      BigDecimal s = d.stripTrailingZeros();
      if (s.scale() <= 0) {
        String whole = s.setScale(0).toPlainString();
        return python2 ? whole + ".0" : whole;
      }
      return s.toPlainString();
    }

    private void string(String s) {
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> {
            if (c < 0x20 || (python2 && c > 0x7e)) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
      sb.append('"');
    }
  }
}
