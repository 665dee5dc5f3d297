/** The page's entry: renders the app into `#app`. `view-data.js` has already run (a classic script before this module). */
import { render } from "preact";
import { App } from "./views/app.js";
import "./styles.css";

render(<App />, document.getElementById("app")!);
