package dev.digits.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void plainQuotedAndEmptyFields() {
    assertEquals(List.of("a", "b", "", "c"), Csv.fields("a,b,,c"));
    assertEquals(List.of("lowres/0/u1.png", "0", "usps-16px;float[-1,1]"), Csv.fields("lowres/0/u1.png,0,\"usps-16px;float[-1,1]\""));
    assertEquals(List.of("say \"hi\"", "x"), Csv.fields("\"say \"\"hi\"\"\",x"));
    assertEquals(List.of("", ""), Csv.fields(","));
  }
}
