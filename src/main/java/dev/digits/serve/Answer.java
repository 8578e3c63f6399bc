package dev.digits.serve;

/** What answering a refused request takes: a header, and a JSON error body with its status. */
interface Answer {
  void setHeader(String name, String value);

  void error(int status, String message);
}
